"""The request context of each concrete request: what a real request carries, and what we cannot know.

Known values (``context``):

- Global keys every authenticated request carries: ``aws:PrincipalArn``, ``aws:PrincipalAccount``,
  ``aws:PrincipalType``, ``aws:username`` (IAM users only), ``aws:RequestedRegion``,
  ``aws:SecureTransport`` ("true": the SDK always uses HTTPS), ``aws:CurrentTime`` (ISO 8601, UTC),
  ``aws:EpochTime``, ``aws:PrincipalIsAWSService`` ("false": an IAM principal, not a service principal),
  ``aws:ViaAWSService`` ("false" for the scheduler's own direct calls; unknown where a service may call
  on the caller's behalf), and ``aws:ResourceAccount`` where the resource's owner is known.
- ``aws:PrincipalType``: ``User`` for an IAM user, ``AssumedRole`` for a role (a role is only ever
  used through an assumed-role session, the execution role included), ``FederatedUser``, or ``Account``
  for the root user. These are the values AWS documents for the key.
- ``aws:RequestedRegion``: the job's region, except for calls to IAM's global endpoint
  (``iam:ListRoles``): us-east-1 in the aws partition. ``iam:PassRole`` is authorised inside the
  SageMaker/EventBridge call, so it carries that call's region.
- Tags: the scheduler tags every rule, pipeline and training job it creates with
  ``sagemaker:is-scheduling-notebook-job=true``, ``sagemaker:is-studio-archived=false``,
  ``sagemaker:headless-execution-version=false``, plus ``sagemaker:name`` and ``sagemaker:notebook-name``
  (values chosen by the person) and, on training jobs a pipeline starts, ``sagemaker:job-definition-id``.
  Requests on such resources carry ``aws:ResourceTag/<key>`` (and ``sagemaker:ResourceTag/<key>`` for
  SageMaker); create/tag requests carry ``aws:RequestTag/<key>`` and ``aws:TagKeys``.
- Action keys the scheduler's call fixes: ``iam:PassedToService`` (one request per service),
  ``events:TargetArn`` (PutTargets points at the job's pipeline), ``kms:CallerAccount``,
  ``s3:authType``/``s3:signatureversion`` (SigV4 header),
  ``s3:ResourceAccount`` for the scheduler's own bucket.

Unknown keys (``unknown_keys``): carried by a real request but not knowable here, so a policy condition
on one makes the result "conditional": where the request comes from (``aws:SourceIp``, VPC and VPC
endpoint keys, ``aws:UserAgent``, ``aws:Referer``), who exactly (``aws:userid``, ``aws:PrincipalTag/*``,
organization keys, MFA and session keys, ``aws:SourceIdentity``), the variable-valued tags, tags on
resources the scheduler does not tag (the role, buckets, the image repository, the key), and the service
keys that depend on the job's options (instance type, VPC, KMS keys of a training job; S3 encryption
headers; KMS encryption context and the calling service).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Literal

from .model import ContextValue, Scope
from .resources import SCHEDULER_TAGGED_TYPES, resource_account

# --- the scheduler's tags -------------------------------------------------------------------------
FIXED_TAGS: dict[str, str] = {
    "sagemaker:is-scheduling-notebook-job": "true",
    "sagemaker:is-studio-archived": "false",
    "sagemaker:headless-execution-version": "false",
}
VARIABLE_TAG_KEYS: tuple[str, ...] = ("sagemaker:name", "sagemaker:notebook-name")
JOB_DEFINITION_TAG = "sagemaker:job-definition-id"
# The scheduler's tag keys in the order it sends them.
COMMON_TAG_KEYS: tuple[str, ...] = (
    "sagemaker:name",
    "sagemaker:notebook-name",
    "sagemaker:is-scheduling-notebook-job",
    "sagemaker:is-studio-archived",
    "sagemaker:headless-execution-version",
)

# The tags a request sends: (fixed tag values, tag keys).
Tags = tuple[dict[str, str], tuple[str, ...]]
# Requests that create a resource with the scheduler's common tags, by default: (target, action) -> tags.
# Where one action is called with other tags too (run from a definition, a schedule update, the
# pipeline's training jobs, archiving with AddTags), ``variants.py`` says so request by request.
_COMMON: Tags = (FIXED_TAGS, COMMON_TAG_KEYS)
REQUEST_TAGS: dict[tuple[str, str], Tags] = {
    ("identity", "events:PutRule"): _COMMON,
    ("identity", "events:TagResource"): _COMMON,
    ("identity", "sagemaker:CreatePipeline"): _COMMON,
    ("identity", "sagemaker:CreateTrainingJob"): _COMMON,
}

# --- global keys ----------------------------------------------------------------------------------
PRINCIPAL_TYPES = {
    "user": "User",
    "role": "AssumedRole",
    "assumed-role": "AssumedRole",
    "federated-user": "FederatedUser",
    "root": "Account",
}
# Region of IAM's global endpoint, per partition (aws:RequestedRegion of IAM API calls).
IAM_GLOBAL_REGION = {"aws": "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1"}
IAM_API_ACTIONS = frozenset({"iam:ListRoles"})

# Carried by every real request, unknowable here.
COMMON_UNKNOWN_KEYS: tuple[str, ...] = (
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpcArn",
    "aws:SourceVpce",
    "aws:VpcSourceIp",
    "aws:UserAgent",
    "aws:Referer",
    "aws:userid",
    "aws:PrincipalTag/*",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:MultiFactorAuthPresent",
    "aws:MultiFactorAuthAge",
    "aws:TokenIssueTime",
    "aws:ResourceOrgID",
    "aws:ResourceOrgPaths",
)
# Only for role sessions and federated users (absent for IAM users and root).
SESSION_UNKNOWN_KEYS: tuple[str, ...] = (
    "aws:SourceIdentity",
    "aws:FederatedProvider",
    "aws:Ec2InstanceSourceVpc",
    "aws:Ec2InstanceSourcePrivateIPv4",
)
# Whether an AWS service makes the call on the principal's behalf.
VIA_SERVICE_UNKNOWN_KEYS: tuple[str, ...] = (
    "aws:ViaAWSService",
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
)
# Tags of resources the scheduler does not tag, per resource type.
UNTAGGED_RESOURCE_UNKNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "role": ("aws:ResourceTag/*", "iam:ResourceTag/*"),
    "bucket": ("aws:ResourceTag/*", "s3:BucketTag/*"),
    "object": ("aws:ResourceTag/*", "s3:BucketTag/*"),
    "repository": ("aws:ResourceTag/*", "ecr:ResourceTag/*"),
    "key": (
        "aws:ResourceTag/*",
        "kms:ResourceAliases",
        "kms:KeyOrigin",
        "kms:KeySpec",
        "kms:KeyUsage",
        "kms:MultiRegion",
        "kms:MultiRegionKeyType",
    ),
}
# Service keys that depend on the job's options or on the calling service.
ACTION_UNKNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "iam:PassRole": ("iam:AssociatedResourceArn",),
    "sagemaker:CreateTrainingJob": (
        "sagemaker:InstanceTypes",
        "sagemaker:VolumeKmsKey",
        "sagemaker:OutputKmsKey",
        "sagemaker:VpcSubnets",
        "sagemaker:VpcSecurityGroupIds",
        "sagemaker:NetworkIsolation",
        "sagemaker:InterContainerTrafficEncryption",
        "sagemaker:MaxRuntimeInSeconds",
        "sagemaker:EnableRemoteDebug",
        "sagemaker:KeepAlivePeriod",
    ),
    "s3:PutObject": (
        "s3:x-amz-server-side-encryption",
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
        "s3:x-amz-acl",
    ),
    "s3:ListBucket": ("s3:prefix", "s3:delimiter", "s3:max-keys"),
    "s3:CreateBucket": ("s3:locationconstraint",),
}
S3_UNKNOWN_KEYS: tuple[str, ...] = ("s3:TlsVersion", "s3:signatureAge", "s3:x-amz-content-sha256")
# KMS is called by S3 and SageMaker on the person's behalf: the encryption context, algorithm and grant
# details are theirs. Per action, as the Service Authorization Reference lists them.
_KMS_DATA_KEYS = ("kms:EncryptionAlgorithm", "kms:EncryptionContext:*", "kms:EncryptionContextKeys")
ACTION_UNKNOWN_KEYS.update(
    {
        "kms:Encrypt": _KMS_DATA_KEYS,
        "kms:Decrypt": _KMS_DATA_KEYS,
        "kms:ReEncryptFrom": _KMS_DATA_KEYS + ("kms:ReEncryptOnSameKey",),
        "kms:ReEncryptTo": _KMS_DATA_KEYS + ("kms:ReEncryptOnSameKey",),
        "kms:GenerateDataKey": _KMS_DATA_KEYS,
        "kms:GenerateDataKeyWithoutPlaintext": _KMS_DATA_KEYS,
        "kms:DescribeKey": (),
        "kms:CreateGrant": (
            "kms:EncryptionContext:*",
            "kms:EncryptionContextKeys",
            "kms:GrantConstraintType",
            "kms:GrantIsForAWSResource",
            "kms:GrantOperations",
            "kms:GranteePrincipal",
            "kms:RetiringPrincipal",
        ),
    }
)
KMS_UNKNOWN_KEYS: tuple[str, ...] = ("kms:ViaService",) + VIA_SERVICE_UNKNOWN_KEYS


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def principal_type(kind: str) -> str:
    return PRINCIPAL_TYPES[kind]


def build_context(
    *,
    target: str,
    action: str,
    resource_type: str,
    resource: str,
    scope: Scope,
    principal_arn: str,
    principal_kind: str,
    passed_to_service: str | None = None,
    pipeline_arn: str | None = None,
    now: datetime | None = None,
    request_tags: Tags | None | Literal["default"] = "default",
    extra: dict[str, ContextValue] | None = None,
    extra_unknown: tuple[str, ...] = (),
) -> tuple[dict[str, ContextValue], tuple[str, ...]]:
    """(context, unknown_keys) of one concrete request. See the module docstring for the choices.

    ``request_tags``: the tags the request sends (None: none; left out: ``REQUEST_TAGS``' default);
    ``extra`` / ``extra_unknown``: keys of this particular request (``sagemaker:TaggingAction``)."""
    now = (now or utc_now()).astimezone(timezone.utc)
    service = action.split(":", 1)[0]
    ctx: dict[str, ContextValue] = {}
    unknown: list[str] = list(COMMON_UNKNOWN_KEYS)

    # Who.
    ctx["aws:PrincipalArn"] = principal_arn
    ctx["aws:PrincipalAccount"] = scope.account
    ctx["aws:PrincipalType"] = principal_type(principal_kind)
    ctx["aws:PrincipalIsAWSService"] = "false"
    if principal_kind == "user":
        ctx["aws:username"] = scope.username or principal_arn.rsplit("/", 1)[1]
    elif principal_kind != "root":
        unknown += SESSION_UNKNOWN_KEYS

    # Where and when.
    if action in IAM_API_ACTIONS:
        region = IAM_GLOBAL_REGION.get(scope.partition)
        if region:
            ctx["aws:RequestedRegion"] = region
        else:
            unknown.append("aws:RequestedRegion")
    else:
        ctx["aws:RequestedRegion"] = scope.region
    ctx["aws:SecureTransport"] = "true"
    ctx["aws:CurrentTime"] = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    ctx["aws:EpochTime"] = str(int(now.timestamp()))

    # Direct call or through a service.
    if target == "role" or service == "kms" or action == "iam:PassRole":
        # The execution role's calls are made by SageMaker/EventBridge with the role's session; KMS is
        # called by S3 and SageMaker on the person's behalf; PassRole is authorised inside another call.
        unknown += VIA_SERVICE_UNKNOWN_KEYS
    else:
        ctx["aws:ViaAWSService"] = "false"

    # Whose resource.
    owner = resource_account(resource_type, resource, scope)
    if owner:
        ctx["aws:ResourceAccount"] = owner
    elif resource_type != "*":
        unknown.append("aws:ResourceAccount")

    # Tags.
    if resource_type in SCHEDULER_TAGGED_TYPES:
        prefixes = ["aws:ResourceTag/"]
        if service == "sagemaker":
            prefixes.append("sagemaker:ResourceTag/")
        for prefix in prefixes:
            for key, value in FIXED_TAGS.items():
                ctx[prefix + key] = value
            unknown += [prefix + k for k in VARIABLE_TAG_KEYS]
            if resource_type == "training-job":
                # Present on training jobs a pipeline started, absent on "run now" ones.
                unknown.append(prefix + JOB_DEFINITION_TAG)
    elif resource_type in UNTAGGED_RESOURCE_UNKNOWN_KEYS:
        unknown += UNTAGGED_RESOURCE_UNKNOWN_KEYS[resource_type]
    tags = REQUEST_TAGS.get((target, action)) if isinstance(request_tags, str) else request_tags
    if tags:
        fixed, keys = tags
        for key in keys:
            if key in fixed:
                ctx["aws:RequestTag/" + key] = fixed[key]
            else:
                unknown.append("aws:RequestTag/" + key)
        ctx["aws:TagKeys"] = list(keys)

    # Action keys.
    if action == "iam:PassRole" and passed_to_service:
        ctx["iam:PassedToService"] = passed_to_service
    if action == "events:PutTargets" and pipeline_arn:
        ctx["events:TargetArn"] = pipeline_arn
    if service == "s3":
        ctx["s3:authType"] = "REST-HEADER"
        ctx["s3:signatureversion"] = "AWS4-HMAC-SHA256"
        if owner:
            ctx["s3:ResourceAccount"] = owner
        else:
            unknown.append("s3:ResourceAccount")
        unknown += S3_UNKNOWN_KEYS
    if service == "kms":
        ctx["kms:CallerAccount"] = scope.account
        unknown += KMS_UNKNOWN_KEYS
    unknown += ACTION_UNKNOWN_KEYS.get(action, ())
    ctx.update(extra or {})
    unknown += extra_unknown

    # Never both known and unknown; keep first-seen order, no duplicates.
    seen: set[str] = set()
    ordered = []
    for key in unknown:
        if key not in seen and key not in ctx:
            seen.add(key)
            ordered.append(key)
    return ctx, tuple(ordered)
