"""The optional pre-flight (jupyter_nbjob_iam.scheduler_preflight), with the real scheduler 3.2.2.

Given the sandbox account (ada misses some statements, her execution role misses others) and the
scheduler class the pre-flight configures,
when ada runs a notebook now, the request is refused with the gaps named and nothing reaches S3 or
SageMaker; after the project's fix (plan, then apply) the same request goes through to
CreateTrainingJob. (The default scheduler class, without the pre-flight, is what test_contract.py runs.)
"""

from __future__ import annotations

import asyncio

import pytest
from conftest import REGION, notebook_root
from scenario import run_now_model, runtime_parameters


@pytest.fixture
def sandbox(recorder, monkeypatch, moto_url):
    from jupyter_nbjob_iam.sandbox.seed import seed

    account = seed(moto_url, REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", account.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", account.secret_access_key)
    monkeypatch.setenv("AWS_ACCOUNT_ID", account.account_id)
    return account


def preflight_scheduler(monkeypatch, tmp_path):
    from amazon_sagemaker_jupyter_scheduler.environments import SagemakerEnvironmentManager
    from traitlets.config import Config

    from jupyter_nbjob_iam.scheduler_preflight import PreflightSageMakerScheduler

    # The fix's per-principal locks are shared by the user's processes; ada is in every sandbox.
    monkeypatch.setenv("NBJOB_IAM_LOCK_DIR", str(tmp_path / "locks"))
    config = Config()
    config.NbJobIamService.state_dir = str(tmp_path / "state")
    return PreflightSageMakerScheduler(
        root_dir=str(notebook_root(monkeypatch, tmp_path / "work")),
        environments_manager=SagemakerEnvironmentManager(),
        config=config,
    )


def test_refuses_a_job_that_would_fail_for_permissions_before_uploading(sandbox, recorder, monkeypatch, tmp_path):
    from jupyter_scheduler.exceptions import SchedulerError

    scheduler = preflight_scheduler(monkeypatch, tmp_path)
    bucket = f"s3://sagemaker-automated-execution-{sandbox.account_id}-{REGION}/"
    params = runtime_parameters(bucket, bucket) | {"role_arn": sandbox.role_arn}
    model = run_now_model(params)

    with pytest.raises(SchedulerError, match="Not scheduled") as refused:
        asyncio.run(scheduler.create_job(model))

    assert "EventBridgeSchedule (you)" in str(refused.value)
    assert "TrustRelationship (the role's trust)" in str(refused.value)
    assert recorder.calls == []  # nothing uploaded, nothing created

    # When the gaps are fixed the way the panel fixes them
    from jupyter_nbjob_iam.scheduler_preflight import check_params

    service = scheduler._service()
    plan = service.plan(check_params(params))
    assert service.apply(plan["plan_id"])["status"] == "applied"
    import boto3

    boto3.client("s3", region_name=REGION).create_bucket(Bucket=bucket[5:-1])

    # Then the same request is scheduled (3.2.2 still needs its Studio file: stubbed as in conftest)
    import amazon_sagemaker_jupyter_scheduler.model_converter as model_converter

    monkeypatch.setattr(model_converter, "get_app_type", lambda: "")
    asyncio.run(scheduler.create_job(model))
    assert [c.api for c in recorder.calls][-2:] == ["PutObject", "CreateTrainingJob"]


def test_does_not_block_when_the_check_itself_cannot_run(recorder, monkeypatch, tmp_path):
    """STS unreachable for the check (the scheduler itself needs no STS here): the scheduler goes ahead."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")  # nothing listens: unreachable
    scheduler = preflight_scheduler(monkeypatch, tmp_path)
    bucket = "s3://sagemaker-automated-execution-123456789012-us-east-1/"
    model = run_now_model(runtime_parameters(bucket, bucket))
    with pytest.raises(Exception) as failed:
        asyncio.run(scheduler.create_job(model))
    assert "Not scheduled" not in str(failed.value)
    assert recorder.calls and recorder.calls[0].api == "GetBucketLocation"  # the scheduler went ahead
