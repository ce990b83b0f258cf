"""Seed a fresh moto account with a small, realistic demo: a data scientist and her execution roles.

Everything is created through boto3 against ``endpoint_url`` (a moto server), with moto's fake root
keys; nothing here can reach AWS. What the demo shows (``SEEDED_STATUSES``, the statuses a correct
check reports; ``tests/sandbox`` verifies them):

User ``/notebook-users/ada`` (with an access key), in group ``data-scientists``:

- inline ``NotebookBasics``: ``iam:ListRoles`` (IAMListRoles ok) and the S3 artifact actions except
  ``s3:PutBucketVersioning`` and ``s3:PutEncryptionConfiguration`` (S3ArtifactsAccess partial);
- group inline ``SearchNotebookJobs``: ``sagemaker:Search`` (AllowSearch ok, through the group);
- attached customer managed ``NotebookJobsReadOnly`` (default version v2; v1, no longer default,
  allowed ``sagemaker:*``, a trap for a reader that takes the wrong version): ECR image access
  (ECRImage ok), describe/stop of training jobs and pipelines (SagemakerJobs partial: no create or
  delete), and tag read/write of notebook-job resources (SagemakerTags ok);
- nothing for EventBridge (EventBridgeSchedule missing), ``iam:PassRole`` (IAMPassrole missing) or the
  legacy driver bucket (S3DriverAccess missing, legacy);
- inline ``NbJobIamToolAccess``: what this extension itself needs to read her and her roles' policies
  and to write the fix (so the demo's fix also works with moto's request authorization switched on).

Role ``/service-role/SagemakerJupyterSchedulerRole`` (the scheduler pre-selects it by name): trusts only
``sagemaker.amazonaws.com`` (TrustRelationship missing events.amazonaws.com); inline
``NotebookJobArtifacts`` = the guide's S3ForStoringArtifacts and ECRImage (ok); no
PassroleForJobCreation, SagemakerJobs, S3DriverAccess or TagPipelineTrainingJobs (missing).

A KMS key with the alias ``alias/notebook-jobs`` (``KMS_ALIAS``), for trying the scheduler's
encryption keys (``--output-kms-key alias/notebook-jobs``): ada may describe it (the check resolves the
alias to the key ARN) but not use it, so the KmsKeyAccess statement shows as partial.

Role ``/service-role/AmazonSageMaker-ExecutionRole-20240101T000000``: what the SageMaker console makes,
trusting only SageMaker, with the AWS managed ``AmazonSageMakerFullAccess`` attached when moto loaded
the managed policies. Role ``/lambda-data-export``: unrelated (trusts Lambda).

Why AmazonSageMakerFullAccess is not attached to ada by default: it allows ``sagemaker:*`` and S3
object access on ``*sagemaker*`` buckets unconditionally, which would turn her seeded partial and
conditional statements (SagemakerJobs, SagemakerTags, S3DriverAccess) into plain "ok" and make the
demo's outcome depend on moto's copy of an AWS document that changes over time. It still leaves real
gaps (EventBridge, PassRole to events, S3 bucket configuration): ``seed(..., user_full_access=True)``
shows exactly that scenario.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from ..errors import InputError

ACCOUNT_ID = "123456789012"  # moto's default account
# moto accepts any keys while request authorization is off; these are its documented fake examples.
ROOT_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
ROOT_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

USER_NAME = "ada"
USER_PATH = "/notebook-users/"
GROUP_NAME = "data-scientists"
ROLE_NAME = "SagemakerJupyterSchedulerRole"
CONSOLE_ROLE_NAME = "AmazonSageMaker-ExecutionRole-20240101T000000"
UNRELATED_ROLE_NAME = "lambda-data-export"
TOOL_POLICY_NAME = "NbJobIamToolAccess"
FULL_ACCESS_ARN = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"
KMS_ALIAS = "alias/notebook-jobs"

# What a correct check reports for the seeded account: {target: {sid: status}}; partial statements
# list the missing actions, conditional ones the unknown key, in SEEDED_DETAILS.
SEEDED_STATUSES: dict[str, dict[str, str]] = {
    "identity": {
        "EventBridgeSchedule": "missing",
        "IAMPassrole": "missing",
        "IAMListRoles": "ok",
        "S3ArtifactsAccess": "partial",
        "S3DriverAccess": "missing",
        "SagemakerJobs": "partial",
        "AllowSearch": "ok",
        "SagemakerTags": "ok",
        "ECRImage": "ok",
    },
    "trust": {"TrustRelationship": "missing"},
    "role": {
        "PassroleForJobCreation": "missing",
        "S3ForStoringArtifacts": "ok",
        "S3DriverAccess": "missing",
        "SagemakerJobs": "missing",
        "ECRImage": "ok",
        "TagPipelineTrainingJobs": "missing",
    },
}
SEEDED_DETAILS: dict[str, dict[str, Any]] = {
    "identity": {
        "S3ArtifactsAccess": {"missing_actions": ["s3:PutEncryptionConfiguration", "s3:PutBucketVersioning"]},
        "SagemakerJobs": {
            "missing_actions": [
                "sagemaker:CreateTrainingJob",
                "sagemaker:DeletePipeline",
                "sagemaker:CreatePipeline",
            ]
        },
    },
    "trust": {"TrustRelationship": {"missing_services": ["events.amazonaws.com"]}},
}


def _doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _trust(*services: str) -> str:
    return _doc(
        {
            "Effect": "Allow",
            "Principal": {"Service": list(services) if len(services) > 1 else services[0]},
            "Action": "sts:AssumeRole",
        }
    )


NOTEBOOK_BASICS = _doc(
    {"Sid": "ListRolesForTheScheduler", "Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"},
    {
        "Sid": "NotebookJobBucket",
        "Effect": "Allow",
        "Action": [
            "s3:CreateBucket",
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "s3:GetEncryptionConfiguration",
            "s3:PutObject",
            "s3:GetObject",
            "s3:DeleteObject",
        ],
        "Resource": "arn:aws:s3:::sagemaker-automated-execution-*",
    },
)
GROUP_SEARCH = _doc({"Sid": "FindNotebookJobs", "Effect": "Allow", "Action": "sagemaker:Search", "Resource": "*"})
READ_ONLY_V1 = _doc({"Sid": "EverythingSageMaker", "Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"})
READ_ONLY_V2 = _doc(
    {
        "Sid": "PullNotebookImages",
        "Effect": "Allow",
        "Action": ["ecr:GetAuthorizationToken", "ecr:BatchGetImage"],
        "Resource": "*",
    },
    {
        "Sid": "WatchNotebookJobs",
        "Effect": "Allow",
        "Action": [
            "sagemaker:DescribeTrainingJob",
            "sagemaker:StopTrainingJob",
            "sagemaker:DescribePipeline",
        ],
        "Resource": ["arn:aws:sagemaker:*:*:training-job/*", "arn:aws:sagemaker:*:*:pipeline/*"],
    },
    {
        "Sid": "TagNotebookJobs",
        "Effect": "Allow",
        "Action": ["sagemaker:ListTags", "sagemaker:AddTags"],
        "Resource": ["arn:aws:sagemaker:*:*:training-job/*", "arn:aws:sagemaker:*:*:pipeline/*"],
    },
)
# What the extension itself calls: read a principal's policies (users, groups, roles, managed
# versions), the account's quotas, the simulator, and the writes of fix/undo. Resource "*": moto
# authorizes IAM calls against "*" only, so narrower resources would refuse every call.
TOOL_ACCESS = _doc(
    {
        "Sid": "ReadPermissions",
        "Effect": "Allow",
        "Action": [
            "iam:Get*",
            "iam:List*",
            "iam:SimulatePrincipalPolicy",
            "sts:GetCallerIdentity",
            "kms:DescribeKey",
        ],
        "Resource": "*",
    },
    {
        "Sid": "FixPermissions",
        "Effect": "Allow",
        "Action": [
            "iam:PutUserPolicy",
            "iam:DeleteUserPolicy",
            "iam:PutRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:UpdateAssumeRolePolicy",
            "iam:CreatePolicy",
            "iam:CreatePolicyVersion",
            "iam:DeletePolicyVersion",
            "iam:SetDefaultPolicyVersion",
            "iam:AttachUserPolicy",
            "iam:DetachUserPolicy",
            "iam:AttachRolePolicy",
            "iam:DetachRolePolicy",
        ],
        "Resource": "*",
    },
)
ROLE_ARTIFACTS = _doc(
    {
        "Sid": "S3ForStoringArtifacts",
        "Effect": "Allow",
        "Action": ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"],
        "Resource": "arn:aws:s3:::sagemaker-automated-execution-*",
    },
    {
        "Sid": "ECRImage",
        "Effect": "Allow",
        "Action": [
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage",
            "ecr:GetAuthorizationToken",
            "ecr:BatchCheckLayerAvailability",
        ],
        "Resource": "*",
    },
)
UNRELATED_POLICY = _doc(
    {
        "Sid": "WriteLogs",
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": "arn:aws:logs:*:*:log-group:/aws/lambda/*",
    }
)


@dataclass(frozen=True)
class SandboxAccount:
    """The seeded demo account. The keys are moto's fake keys: they work only against the sandbox."""

    endpoint_url: str
    region: str
    account_id: str
    user_name: str
    user_arn: str
    access_key_id: str
    secret_access_key: str = field(repr=False)
    role_arn: str
    console_role_arn: str
    unrelated_role_arn: str
    managed_policy_arn: str
    full_access_attached_to: tuple[str, ...] = ()
    kms_key_arn: str = ""
    kms_alias: str = KMS_ALIAS


def _iam_client(endpoint_url: str, region: str) -> Any:
    return boto3.client(
        "iam",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=ROOT_ACCESS_KEY_ID,
        aws_secret_access_key=ROOT_SECRET_ACCESS_KEY,
        config=Config(retries={"mode": "standard"}, connect_timeout=5, read_timeout=30),
    )


def _kms_key(endpoint_url: str, region: str) -> str:
    """A customer managed key with the alias ``KMS_ALIAS``; its ARN."""
    kms = boto3.client(
        "kms",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=ROOT_ACCESS_KEY_ID,
        aws_secret_access_key=ROOT_SECRET_ACCESS_KEY,
        config=Config(retries={"mode": "standard"}, connect_timeout=5, read_timeout=30),
    )
    meta = kms.create_key(Description="Encrypts notebook job outputs and volumes")["KeyMetadata"]
    kms.create_alias(AliasName=KMS_ALIAS, TargetKeyId=meta["KeyId"])
    return str(meta["Arn"])


def _full_access_available(iam) -> bool:
    try:
        iam.get_policy(PolicyArn=FULL_ACCESS_ARN)
        return True
    except iam.exceptions.NoSuchEntityException:
        return False


def seed(endpoint_url: str, region: str = "us-east-1", *, user_full_access: bool = False) -> SandboxAccount:
    """Create the demo account in the moto server at ``endpoint_url``; return its names and ada's keys.

    The server must be fresh (``POST /moto-api/reset``): seeding twice fails with moto's
    ``EntityAlreadyExists``. ``user_full_access`` also attaches AmazonSageMakerFullAccess to ada (when
    moto loaded the AWS managed policies; see the module docstring for why it is off by default).
    """
    if not isinstance(endpoint_url, str) or not endpoint_url.startswith("http://"):
        # AWS's endpoints are all https: a plain-http URL is a local fake, never a real account.
        raise InputError(
            f"The sandbox seeds a local moto server only; {endpoint_url!r} is not a plain http:// URL.",
            details={"field": "endpoint_url", "value": str(endpoint_url)},
        )
    iam = _iam_client(endpoint_url, region)

    # The user, her group and her policies.
    user = iam.create_user(UserName=USER_NAME, Path=USER_PATH)["User"]
    key = iam.create_access_key(UserName=USER_NAME)["AccessKey"]
    iam.put_user_policy(UserName=USER_NAME, PolicyName="NotebookBasics", PolicyDocument=NOTEBOOK_BASICS)
    iam.put_user_policy(UserName=USER_NAME, PolicyName=TOOL_POLICY_NAME, PolicyDocument=TOOL_ACCESS)
    iam.create_group(GroupName=GROUP_NAME, Path="/")
    iam.add_user_to_group(GroupName=GROUP_NAME, UserName=USER_NAME)
    iam.put_group_policy(GroupName=GROUP_NAME, PolicyName="SearchNotebookJobs", PolicyDocument=GROUP_SEARCH)
    managed = iam.create_policy(
        PolicyName="NotebookJobsReadOnly",
        Path="/",
        PolicyDocument=READ_ONLY_V1,
        Description="Read-only access to notebook jobs (v1 was too broad; v2 is the default)",
    )["Policy"]
    iam.create_policy_version(PolicyArn=managed["Arn"], PolicyDocument=READ_ONLY_V2, SetAsDefault=True)
    iam.attach_user_policy(UserName=USER_NAME, PolicyArn=managed["Arn"])

    full_access = _full_access_available(iam)
    attached: list[str] = []
    if user_full_access and full_access:
        iam.attach_user_policy(UserName=USER_NAME, PolicyArn=FULL_ACCESS_ARN)
        attached.append(user["Arn"])

    # The execution role the scheduler pre-selects: trusts SageMaker only, half its policy.
    role = iam.create_role(
        RoleName=ROLE_NAME,
        Path="/service-role/",
        AssumeRolePolicyDocument=_trust("sagemaker.amazonaws.com"),
        Description="Execution role for SageMaker notebook jobs",
    )["Role"]
    iam.put_role_policy(RoleName=ROLE_NAME, PolicyName="NotebookJobArtifacts", PolicyDocument=ROLE_ARTIFACTS)

    # A console-made SageMaker execution role, and an unrelated one.
    console = iam.create_role(
        RoleName=CONSOLE_ROLE_NAME,
        Path="/service-role/",
        AssumeRolePolicyDocument=_trust("sagemaker.amazonaws.com"),
        Description="SageMaker execution role created by the console",
    )["Role"]
    if full_access:
        iam.attach_role_policy(RoleName=CONSOLE_ROLE_NAME, PolicyArn=FULL_ACCESS_ARN)
        attached.append(console["Arn"])
    unrelated = iam.create_role(
        RoleName=UNRELATED_ROLE_NAME,
        Path="/",
        AssumeRolePolicyDocument=_trust("lambda.amazonaws.com"),
    )["Role"]
    iam.put_role_policy(RoleName=UNRELATED_ROLE_NAME, PolicyName="WriteLogs", PolicyDocument=UNRELATED_POLICY)

    account_id = user["Arn"].split(":")[4]
    kms_key_arn = _kms_key(endpoint_url, region)
    return SandboxAccount(
        endpoint_url=endpoint_url,
        region=region,
        account_id=account_id,
        user_name=USER_NAME,
        user_arn=user["Arn"],
        access_key_id=key["AccessKeyId"],
        secret_access_key=key["SecretAccessKey"],
        role_arn=role["Arn"],
        console_role_arn=console["Arn"],
        unrelated_role_arn=unrelated["Arn"],
        managed_policy_arn=managed["Arn"],
        full_access_attached_to=tuple(attached),
        kms_key_arn=kms_key_arn,
    )
