"""What the execution role does once the scheduler handed the job over (AWS runs it, not us).

These requests cannot be recorded here (no SageMaker runs under moto), so they are derived from the
parameters the scheduler really sent, as SageMaker and EventBridge use them:
- EventBridge, assuming the role (the rule target's RoleArn), starts the pipeline:
  ``sagemaker:StartPipelineExecution`` on the pipeline ARN.
- The pipeline, as the role, creates the training job of its one step, named
  ``pipelines-<execution>-<step>-<random>``, with the step's tags (six, with
  ``sagemaker:job-definition-id``): ``sagemaker:CreateTrainingJob`` + ``sagemaker:AddTags`` on
  ``training-job/pipelines-*``, and passes the role on: ``iam:PassRole`` (sagemaker.amazonaws.com).
- Every training job, as the role: pulls ``AlgorithmSpecification.TrainingImage`` (ECR
  ``GetAuthorizationToken`` on ``*``, ``BatchGetImage``/``GetDownloadUrlForLayer``/
  ``BatchCheckLayerAvailability`` on the repository ARN), reads its input channel
  (``s3:ListBucket`` on the bucket, ``s3:GetObject`` under the channel's prefix) and writes
  ``<S3OutputPath>/<training job>/output/output.tar.gz`` (``s3:PutObject``).
"""

from __future__ import annotations

import json
import re

from iam_map import IamRequest
from recorder import Call

_IMAGE = re.compile(r"^(?P<acct>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/(?P<repo>[^@:]+)")
ECR_PULL = ("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability")


def _s3(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key.strip("/")


def training_job_requests(args: dict, job_name: str, partition: str = "aws") -> list[IamRequest]:
    out = [IamRequest("ecr:GetAuthorizationToken", "*")]
    m = _IMAGE.match(args["AlgorithmSpecification"]["TrainingImage"])
    assert m, args["AlgorithmSpecification"]["TrainingImage"]
    repo = f"arn:{partition}:ecr:{m['region']}:{m['acct']}:repository/{m['repo']}"
    out += [IamRequest(a, repo) for a in ECR_PULL]
    for channel in args.get("InputDataConfig", []):
        bucket, prefix = _s3(channel["DataSource"]["S3DataSource"]["S3Uri"])
        out.append(IamRequest("s3:ListBucket", f"arn:{partition}:s3:::{bucket}"))
        out.append(IamRequest("s3:GetObject", f"arn:{partition}:s3:::{bucket}/{prefix}/notebook.ipynb"))
    bucket, prefix = _s3(args["OutputDataConfig"]["S3OutputPath"])
    key = "/".join(p for p in (prefix, job_name, "output", "output.tar.gz") if p)
    out.append(IamRequest("s3:PutObject", f"arn:{partition}:s3:::{bucket}/{key}"))
    return out


def role_requests(calls: list[Call], *, account: str, region: str, partition: str = "aws") -> list[IamRequest]:
    sm = f"arn:{partition}:sagemaker:{region}:{account}"
    out: list[IamRequest] = []
    for call in calls:
        if call.api == "CreateTrainingJob":
            out += training_job_requests(call.params, call.params["TrainingJobName"], partition)
        elif call.api == "CreatePipeline":
            pipeline = f"{sm}:pipeline/{call.params['PipelineName']}"
            out.append(IamRequest("sagemaker:StartPipelineExecution", pipeline))
            (step,) = json.loads(call.params["PipelineDefinition"])["Steps"]
            job = f"pipelines-0a1b2c3d4e5f-{step['Name'][:20]}-AbCdEfGhIj"
            out += [
                IamRequest("sagemaker:CreateTrainingJob", f"{sm}:training-job/{job}"),
                IamRequest("sagemaker:AddTags", f"{sm}:training-job/{job}"),
                IamRequest("iam:PassRole", call.params["RoleArn"], "sagemaker.amazonaws.com"),
            ]
            out += training_job_requests(step["Arguments"], job, partition)
    return out
