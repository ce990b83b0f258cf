"""Drive the real scheduler through every user operation, one after the other, as its UI would."""

from __future__ import annotations

import asyncio
import io
import logging
import tarfile

from conftest import NOTEBOOK, REGION, ROLE_ARN

# The AWS operations each user operation makes, read from the scheduler's source
# (/work/scheduler-src is not needed at test time: these are pinned here and compared live).
EXPECTED_APIS: dict[str, set[str]] = {
    "open the create form": {"ListRoles", "HeadBucket", "CreateBucket", "PutBucketEncryption", "PutBucketVersioning"},
    "run now": {"GetBucketLocation", "GetBucketEncryption", "PutObject", "CreateTrainingJob"},
    "create job definition": {
        "GetBucketLocation",
        "GetBucketEncryption",
        "PutObject",
        "CreatePipeline",
        "PutRule",
        "PutTargets",
    },
    "list job definitions": {"Search", "DescribePipeline", "DescribeRule"},
    "get job definition": {"DescribePipeline", "DescribeRule", "ListTags"},
    "pause job definition": {"DisableRule"},
    "resume job definition": {"EnableRule"},
    "update job definition": {"PutRule"},
    "run job from definition": {"DescribePipeline", "CreateTrainingJob"},
    "list jobs": {"Search"},
    "get job": {"DescribeTrainingJob", "ListTags"},
    "download job files": {"DescribeTrainingJob", "ListTags", "GetObject"},
    "stop job": {"StopTrainingJob"},
    "delete job": {"DescribeTrainingJob", "StopTrainingJob", "AddTags"},
    "delete job definition": {"DisableRule", "DeletePipeline", "RemoveTargets", "DeleteRule"},
}


def runtime_parameters(s3_input: str, s3_output: str, output_kms_key: str = "", volume_kms_key: str = "") -> dict:
    """What the scheduler's create form sends (its advanced options, as the UI fills them)."""
    return {
        "role_arn": ROLE_ARN,
        "s3_input": s3_input,
        "s3_output": s3_output,
        "sm_image": "",
        "sm_kernel": "python3",
        "sm_init_script": "",
        "sm_lcc_init_script_arn": "No script",
        "vpc_security_group_ids": "",
        "vpc_subnets": "",
        "sm_output_kms_key": output_kms_key,
        "sm_volume_kms_key": volume_kms_key,
        "enable_network_isolation": False,
        "max_retry_attempts": 1,
        "max_run_time_in_seconds": 172800,
    }


def run_now_model(params: dict):
    """The "Run now" request the scheduler's form sends for ``notebook.ipynb``."""
    from jupyter_scheduler.models import CreateJob

    return CreateJob(
        name="Daily report",
        input_uri=NOTEBOOK,
        runtime_environment_name="sagemaker-default-env",
        runtime_environment_parameters=params,
        compute_type="ml.m5.large",
    )


def seed_output(job_id: str, s3_output: str) -> None:
    """Put the output archive where SageMaker would (``<output>/<job>/output/output.tar.gz``)."""
    import boto3

    bucket, _, prefix = s3_output.removeprefix("s3://").partition("/")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name in ("sagemaker_job_execution.log",):
            data = b"ran\n"
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    key = "/".join(p for p in (prefix.strip("/"), job_id, "output", "output.tar.gz") if p)
    boto3.client("s3", region_name=REGION).put_object(Bucket=bucket, Key=key, Body=buf.getvalue())


def run_every_operation(scheduler, recorder, params: dict) -> dict[str, str]:
    """Run all user operations against moto; return the ids made. Raises on the first failure."""
    from amazon_sagemaker_jupyter_scheduler.advanced_environments.sagemaker_advanced_environments import (
        SageMakerAdvancedEnvironments,
    )
    from amazon_sagemaker_jupyter_scheduler.file_download_manager import SageMakerJobFilesManager
    from jupyter_scheduler.models import (
        CreateJob,
        CreateJobDefinition,
        CreateJobFromDefinition,
        ListJobDefinitionsQuery,
        ListJobsQuery,
        UpdateJobDefinition,
    )

    log = logging.getLogger("tests_scheduler")
    common = dict(
        input_uri=NOTEBOOK,
        runtime_environment_name="sagemaker-default-env",
        runtime_environment_parameters=params,
        compute_type="ml.m5.large",
        output_formats=["ipynb"],
    )

    async def flow() -> dict[str, str]:
        recorder.start("open the create form")
        await SageMakerAdvancedEnvironments().get_advanced_environments(log)
        recorder.start("run now")
        job = await scheduler.create_job(CreateJob(name="Daily report", **common))
        recorder.start("create job definition")
        definition = await scheduler.create_job_definition(
            CreateJobDefinition(name="Nightly", schedule="0 0 * * *", **common)
        )
        recorder.start("list job definitions")
        listed = await scheduler.list_job_definitions(ListJobDefinitionsQuery())
        assert [d.job_definition_id for d in listed.job_definitions] == [definition]
        recorder.start("get job definition")
        await scheduler.get_job_definition(definition)
        recorder.start("pause job definition")
        await scheduler.update_job_definition(definition, UpdateJobDefinition(active=False))
        recorder.start("resume job definition")
        await scheduler.update_job_definition(definition, UpdateJobDefinition(active=True))
        recorder.start("update job definition")
        await scheduler.update_job_definition(definition, UpdateJobDefinition(schedule="0 6 * * *"))
        recorder.start("run job from definition")
        from_definition = await scheduler.create_job_from_definition(definition, CreateJobFromDefinition(parameters={}))
        recorder.start("list jobs")
        jobs = await scheduler.list_jobs(ListJobsQuery())
        assert {j.job_id for j in jobs.jobs} >= {job}
        recorder.start("get job")
        await scheduler.get_job(job)
        seed_output(job, params["s3_output"])
        recorder.start("download job files")
        await SageMakerJobFilesManager(scheduler).copy_from_staging(job)
        recorder.start("stop job")
        await scheduler.stop_job(job)
        recorder.start("delete job")
        await scheduler.delete_job(job)
        recorder.start("delete job definition")
        await scheduler.delete_job_definition(definition)
        return {"job": job, "definition": definition, "from_definition": from_definition}

    return asyncio.run(flow())
