"""Benchmark of the IAM policy evaluator (a script, not a test): prints timings.

(a) The required-statement check: the ~60 concrete requests the SageMaker notebook-job scheduler
    makes (built from the guide's statements with realistic ARNs and contexts), each evaluated
    against AdministratorAccess, an approximation of AmazonSageMakerFullAccess and 8 custom
    policies with conditions. Goal: the whole check in under 5 ms.
(b) One request against 20 policies of 500 statements each.
(c) Adversarial wildcards: legal policies of at most 6,144 characters (a managed policy's quota)
    whose Resource, Action, ``StringLike`` and ``ArnLike`` patterns are built to make a
    backtracking matcher explode, each against the request that hurts it most. Each case runs in a
    subprocess with a time cap, so a matcher that hangs shows as ``>N s`` instead of stopping the run.
(d) Memory per parsed policy (tracemalloc).

Run: ``.venv/bin/python benchmarks/bench_evaluate.py`` (``--adversarial`` for (c) only,
``--cap SECONDS`` to change the per-case cap, default 10).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jupyter_nbjob_iam.policy import Request, compile_policies, evaluate  # noqa: E402

ACCOUNT, REGION = "123456789012", "us-east-1"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/SagemakerJupyterScheduler"
BUCKET = f"arn:aws:s3:::sagemaker-automated-execution-{ACCOUNT}-{REGION}"
LEGACY_BUCKET = f"arn:aws:s3:::sagemakerheadlessexecution-{REGION}-{ACCOUNT}"
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
RULE = f"arn:aws:events:{REGION}:{ACCOUNT}:rule/nb-job-1a2b3c"
PIPELINE = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/nb-job-1a2b3c"
TRAINING_JOB = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:training-job/nb-job-1a2b3c-run-1"
ECR_REPO = f"arn:aws:ecr:{REGION}:885854791233:repository/sagemaker-distribution-prod"

GLOBAL_CONTEXT = {
    "aws:RequestedRegion": REGION,
    "aws:PrincipalArn": USER,
    "aws:PrincipalAccount": ACCOUNT,
    "aws:username": "alice",
    "aws:PrincipalTag/team": "data",
    "aws:SecureTransport": "true",
    "aws:SourceIp": "203.0.113.10",
    "aws:CurrentTime": "2025-03-01T12:00:00Z",
    "aws:EpochTime": "1740830400",
}
SCHEDULER_TAG = {"aws:ResourceTag/sagemaker:is-scheduling-notebook-job": "true", "aws:ResourceTag/team": "data"}


def check_requests() -> list[Request]:
    """The concrete requests of the required-statement check (identity, KMS and role targets)."""
    plan: list[tuple[str, str, dict]] = []
    events = [
        "TagResource",
        "DeleteRule",
        "PutTargets",
        "DescribeRule",
        "EnableRule",
        "PutRule",
        "RemoveTargets",
        "DisableRule",
    ]
    plan += [(f"events:{name}", RULE, SCHEDULER_TAG) for name in events]
    plan += [
        ("iam:PassRole", ROLE, {"iam:PassedToService": service})
        for service in ("sagemaker.amazonaws.com", "events.amazonaws.com")
    ]
    plan += [("iam:ListRoles", "*", {})]
    for name in (
        "PutEncryptionConfiguration",
        "CreateBucket",
        "PutBucketVersioning",
        "ListBucket",
        "GetEncryptionConfiguration",
        "GetBucketLocation",
    ):
        plan.append((f"s3:{name}", BUCKET, {}))
    for name in ("PutObject", "GetObject", "DeleteObject"):
        plan.append((f"s3:{name}", f"{BUCKET}/nb-job-1a2b3c/input/notebook.ipynb", {}))
    plan += [
        ("s3:ListBucket", LEGACY_BUCKET, {}),
        ("s3:GetBucketLocation", LEGACY_BUCKET, {}),
        ("s3:GetObject", f"{LEGACY_BUCKET}/driver.py", {}),
    ]
    for name in ("DescribeTrainingJob", "StopTrainingJob", "CreateTrainingJob"):
        plan.append((f"sagemaker:{name}", TRAINING_JOB, SCHEDULER_TAG))
    for name in ("DescribePipeline", "DeletePipeline", "CreatePipeline"):
        plan.append((f"sagemaker:{name}", PIPELINE, SCHEDULER_TAG))
    plan += [("sagemaker:Search", "*", {})]
    plan += [
        (f"sagemaker:{name}", resource, {}) for name in ("ListTags", "AddTags") for resource in (PIPELINE, TRAINING_JOB)
    ]
    plan += [("ecr:GetAuthorizationToken", "*", {}), ("ecr:BatchGetImage", ECR_REPO, {})]
    # KMS target
    plan += [
        (f"kms:{name}", KMS_KEY, {})
        for name in (
            "Encrypt",
            "Decrypt",
            "ReEncryptFrom",
            "ReEncryptTo",
            "GenerateDataKey",
            "DescribeKey",
            "CreateGrant",
        )
    ]
    # execution-role target
    role_context = {"aws:PrincipalArn": ROLE, "aws:username": None}  # None: a role has no aws:username
    role_plan = [("iam:PassRole", ROLE, {"iam:PassedToService": "sagemaker.amazonaws.com"})]
    output = f"{BUCKET}/nb-job-1a2b3c/output/result.ipynb"
    role_plan += [(f"s3:{name}", output, {}) for name in ("PutObject", "GetObject")]
    role_plan += [(f"s3:{name}", BUCKET, {}) for name in ("ListBucket", "GetBucketLocation")]
    role_plan += [
        ("s3:ListBucket", LEGACY_BUCKET, {}),
        ("s3:GetObject", f"{LEGACY_BUCKET}/driver.py", {}),
        ("s3:GetBucketLocation", LEGACY_BUCKET, {}),
    ]
    role_plan += [("sagemaker:StartPipelineExecution", PIPELINE, {}), ("sagemaker:CreateTrainingJob", TRAINING_JOB, {})]
    role_plan += [
        (f"ecr:{name}", ECR_REPO, {})
        for name in ("GetDownloadUrlForLayer", "BatchGetImage", "BatchCheckLayerAvailability")
    ]
    role_plan += [("ecr:GetAuthorizationToken", "*", {})]
    requests = [Request(action, resource, USER, {**GLOBAL_CONTEXT, **extra}) for action, resource, extra in plan]
    requests += [
        Request(action, resource, ROLE, {**GLOBAL_CONTEXT, **role_context, **extra})
        for action, resource, extra in role_plan
    ]
    return requests


ADMINISTRATOR_ACCESS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}

# A representative stand-in for AmazonSageMakerFullAccess (written for this benchmark, not AWS's text).
SAGEMAKER_FULL_ACCESS_APPROX = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "SageMaker",
            "Effect": "Allow",
            "Action": ["sagemaker:*"],
            "NotResource": [
                "arn:aws:sagemaker:*:*:domain/*",
                "arn:aws:sagemaker:*:*:user-profile/*",
                "arn:aws:sagemaker:*:*:app/*",
            ],
        },
        {
            "Sid": "SageMakerStudio",
            "Effect": "Allow",
            "Action": [
                "sagemaker:CreatePresignedDomainUrl",
                "sagemaker:DescribeDomain",
                "sagemaker:ListDomains",
                "sagemaker:DescribeUserProfile",
                "sagemaker:ListUserProfiles",
                "sagemaker:DescribeApp",
                "sagemaker:ListApps",
            ],
            "Resource": "*",
        },
        {
            "Sid": "SageMakerApps",
            "Effect": "Allow",
            "Action": "sagemaker:*App",
            "Resource": "arn:aws:sagemaker:*:*:app/*",
        },
        {
            "Sid": "Supporting",
            "Effect": "Allow",
            "Action": [
                "application-autoscaling:DeleteScalingPolicy",
                "application-autoscaling:DescribeScalingPolicies",
                "application-autoscaling:PutScalingPolicy",
                "cloudwatch:DeleteAlarms",
                "cloudwatch:DescribeAlarms",
                "cloudwatch:GetMetricData",
                "cloudwatch:PutMetricAlarm",
                "cloudwatch:PutMetricData",
                "codecommit:BatchGetRepositories",
                "codecommit:GetRepository",
                "ec2:CreateNetworkInterface",
                "ec2:DescribeSubnets",
                "ec2:DescribeVpcs",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeNetworkInterfaces",
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:CreateRepository",
                "ecr:Describe*",
                "ecr:GetAuthorizationToken",
                "ecr:GetDownloadUrlForLayer",
                "ecr:StartImageScan",
                "elastic-inference:Connect",
                "elasticfilesystem:DescribeFileSystems",
                "fsx:DescribeFileSystems",
                "glue:GetTable",
                "glue:GetDatabases",
                "groundtruthlabeling:*",
                "iam:ListRoles",
                "kms:DescribeKey",
                "kms:ListAliases",
                "lambda:ListFunctions",
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:DescribeLogStreams",
                "logs:GetLogEvents",
                "logs:PutLogEvents",
                "secretsmanager:ListSecrets",
                "servicecatalog:Describe*",
                "servicecatalog:List*",
                "tag:GetResources",
            ],
            "Resource": "*",
        },
        {
            "Sid": "EcrSageMakerRepos",
            "Effect": "Allow",
            "Action": [
                "ecr:SetRepositoryPolicy",
                "ecr:CompleteLayerUpload",
                "ecr:BatchDeleteImage",
                "ecr:UploadLayerPart",
                "ecr:InitiateLayerUpload",
                "ecr:PutImage",
            ],
            "Resource": "arn:aws:ecr:*:*:repository/*sagemaker*",
        },
        {
            "Sid": "Secrets",
            "Effect": "Allow",
            "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:CreateSecret"],
            "Resource": ["arn:aws:secretsmanager:*:*:secret:AmazonSageMaker-*"],
        },
        {
            "Sid": "SecretsByTag",
            "Effect": "Allow",
            "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
            "Resource": "*",
            "Condition": {"StringEquals": {"secretsmanager:ResourceTag/SageMaker": "true"}},
        },
        {
            "Sid": "S3SageMakerBuckets",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
            "Resource": ["arn:aws:s3:::*SageMaker*", "arn:aws:s3:::*Sagemaker*", "arn:aws:s3:::*sagemaker*"],
        },
        {
            "Sid": "S3Tagged",
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
            "Resource": "*",
            "Condition": {"StringEqualsIgnoreCase": {"s3:ExistingObjectTag/SageMaker": "true"}},
        },
        {
            "Sid": "S3Buckets",
            "Effect": "Allow",
            "Action": [
                "s3:CreateBucket",
                "s3:GetBucketLocation",
                "s3:ListBucket",
                "s3:ListAllMyBuckets",
                "s3:GetBucketCors",
                "s3:PutBucketCors",
            ],
            "Resource": "*",
        },
        {
            "Sid": "PassRoleToSageMaker",
            "Effect": "Allow",
            "Action": ["iam:PassRole"],
            "Resource": "arn:aws:iam::*:role/*",
            "Condition": {"StringEquals": {"iam:PassedToService": ["sagemaker.amazonaws.com"]}},
        },
        {
            "Sid": "PassRoleToOthers",
            "Effect": "Allow",
            "Action": ["iam:PassRole"],
            "Resource": "arn:aws:iam::*:role/*",
            "Condition": {
                "StringEquals": {
                    "iam:PassedToService": ["glue.amazonaws.com", "robomaker.amazonaws.com", "states.amazonaws.com"]
                }
            },
        },
        {
            "Sid": "ServiceLinked",
            "Effect": "Allow",
            "Action": "iam:CreateServiceLinkedRole",
            "Resource": "*",
            "Condition": {
                "StringLike": {
                    "iam:AWSServiceName": ["sagemaker.application-autoscaling.amazonaws.com", "robomaker.amazonaws.com"]
                }
            },
        },
        {
            "Sid": "Notebooks",
            "Effect": "Allow",
            "Action": ["codecommit:GitPull", "codecommit:GitPush"],
            "Resource": ["arn:aws:codecommit:*:*:*sagemaker*", "arn:aws:codecommit:*:*:*SageMaker*"],
        },
    ],
}

CUSTOM_POLICIES = [
    # 1. the guide's own user policy
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "EventBridgeSchedule",
                "Effect": "Allow",
                "Action": [
                    "events:TagResource",
                    "events:DeleteRule",
                    "events:PutTargets",
                    "events:DescribeRule",
                    "events:EnableRule",
                    "events:PutRule",
                    "events:RemoveTargets",
                    "events:DisableRule",
                ],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceTag/sagemaker:is-scheduling-notebook-job": "true"}},
            },
            {
                "Sid": "IAMPassrole",
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": "arn:aws:iam::*:role/*",
                "Condition": {
                    "StringLike": {"iam:PassedToService": ["sagemaker.amazonaws.com", "events.amazonaws.com"]}
                },
            },
            {"Sid": "IAMListRoles", "Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"},
            {
                "Sid": "S3ArtifactsAccess",
                "Effect": "Allow",
                "Action": [
                    "s3:PutEncryptionConfiguration",
                    "s3:CreateBucket",
                    "s3:PutBucketVersioning",
                    "s3:ListBucket",
                    "s3:PutObject",
                    "s3:GetObject",
                    "s3:GetEncryptionConfiguration",
                    "s3:DeleteObject",
                    "s3:GetBucketLocation",
                ],
                "Resource": ["arn:aws:s3:::sagemaker-automated-execution-*"],
            },
            {
                "Sid": "S3DriverAccess",
                "Effect": "Allow",
                "Action": ["s3:ListBucket", "s3:GetObject", "s3:GetBucketLocation"],
                "Resource": ["arn:aws:s3:::sagemakerheadlessexecution-*"],
            },
            {
                "Sid": "SagemakerJobs",
                "Effect": "Allow",
                "Action": [
                    "sagemaker:DescribeTrainingJob",
                    "sagemaker:StopTrainingJob",
                    "sagemaker:DescribePipeline",
                    "sagemaker:CreateTrainingJob",
                    "sagemaker:DeletePipeline",
                    "sagemaker:CreatePipeline",
                ],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceTag/sagemaker:is-scheduling-notebook-job": "true"}},
            },
            {"Sid": "AllowSearch", "Effect": "Allow", "Action": "sagemaker:Search", "Resource": "*"},
            {
                "Sid": "SagemakerTags",
                "Effect": "Allow",
                "Action": ["sagemaker:ListTags", "sagemaker:AddTags"],
                "Resource": [
                    "arn:aws:sagemaker:*:*:pipeline/*",
                    "arn:aws:sagemaker:*:*:space/*",
                    "arn:aws:sagemaker:*:*:training-job/*",
                    "arn:aws:sagemaker:*:*:user-profile/*",
                ],
            },
            {
                "Sid": "ECRImage",
                "Effect": "Allow",
                "Action": ["ecr:GetAuthorizationToken", "ecr:BatchGetImage"],
                "Resource": "*",
            },
        ],
    },
    # 2. the guide's KMS policy
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "KmsKeyAccess",
                "Effect": "Allow",
                "Action": [
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:DescribeKey",
                    "kms:CreateGrant",
                ],
                "Resource": KMS_KEY,
            }
        ],
    },
    # 3. regions guard
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyOtherRegions",
                "Effect": "Deny",
                "NotAction": ["iam:*", "sts:*", "organizations:*", "support:*"],
                "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2", "eu-west-1"]}},
            }
        ],
    },
    # 4. TLS only
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    },
    # 5. office network only, except via AWS services
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyOutsideOffice",
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": {
                    "NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8:1234::/48"]},
                    "BoolIfExists": {"aws:ViaAWSService": "false"},
                },
            }
        ],
    },
    # 6. team resources by tag
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "TeamSageMaker",
                "Effect": "Allow",
                "Action": ["sagemaker:Describe*", "sagemaker:List*"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
            },
            {
                "Sid": "TeamTags",
                "Effect": "Allow",
                "Action": "sagemaker:AddTags",
                "Resource": "*",
                "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "project", "sagemaker:name"]}},
            },
        ],
    },
    # 7. home directories with policy variables
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ListHome",
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": "arn:aws:s3:::team-data",
                "Condition": {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/*"]}},
            },
            {
                "Sid": "OwnHome",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject"],
                "Resource": "arn:aws:s3:::team-data/home/${aws:username}/*",
            },
            {
                "Sid": "Window",
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::reports/*",
                "Condition": {
                    "DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"},
                    "DateLessThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"},
                },
            },
        ],
    },
    # 8. keep admin roles from being passed
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyPassAdminRoles",
                "Effect": "Deny",
                "Action": "iam:PassRole",
                "Resource": ["arn:aws:iam::*:role/Admin*", "arn:aws:iam::*:role/*/Admin*"],
                "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Platform*"}},
            }
        ],
    },
]

CHECK_POLICIES = [ADMINISTRATOR_ACCESS, SAGEMAKER_FULL_ACCESS_APPROX, *CUSTOM_POLICIES]


def large_policies(count: int = 20, size: int = 500, seed: int = 7, services: list[str] | None = None) -> list[dict]:
    """Synthetic but realistic policies: many services, wildcards, resources and conditions."""
    rnd = random.Random(seed)
    services = services or [
        "s3",
        "ec2",
        "iam",
        "sagemaker",
        "events",
        "kms",
        "ecr",
        "logs",
        "cloudwatch",
        "lambda",
        "dynamodb",
        "sqs",
        "sns",
        "glue",
        "athena",
        "rds",
        "elasticloadbalancing",
        "autoscaling",
        "cloudformation",
        "secretsmanager",
        "ssm",
        "sts",
        "route53",
        "apigateway",
        "states",
        "kinesis",
        "firehose",
        "redshift",
        "ecs",
        "eks",
    ]
    verbs = ["Get", "Put", "List", "Describe", "Create", "Delete", "Update", "Tag", "Start", "Stop"]
    nouns = ["Object", "Bucket", "Instance", "Role", "Pipeline", "Rule", "Key", "Repository", "Table", "Queue"]
    conditions = [
        {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2"]}},
        {"StringLike": {"aws:PrincipalTag/team": ["data*", "ml*"]}},
        {"Bool": {"aws:SecureTransport": "true"}},
        {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}},
        {"ForAnyValue:StringEquals": {"aws:TagKeys": ["team", "env"]}},
        {"StringEqualsIfExists": {"aws:ResourceTag/env": "prod"}},
        {"NumericLessThan": {"s3:max-keys": "1000"}},
        {"DateLessThan": {"aws:CurrentTime": "2027-01-01T00:00:00Z"}},
    ]
    policies = []
    for p in range(count):
        statements = []
        for i in range(size):
            service = rnd.choice(services)
            actions = [
                f"{service}:{rnd.choice(verbs)}{rnd.choice(nouns) if rnd.random() < 0.7 else '*'}"
                for _ in range(rnd.randint(1, 6))
            ]
            resource = rnd.choice(
                [
                    "*",
                    f"arn:aws:{service}:*:{ACCOUNT}:{rnd.choice(nouns).lower()}/*",
                    f"arn:aws:{service}:{REGION}:{ACCOUNT}:{rnd.choice(nouns).lower()}/team-{i}",
                ]
            )
            statement = {
                "Sid": f"P{p}S{i}",
                "Effect": "Deny" if rnd.random() < 0.05 else "Allow",
                "Action": actions,
                "Resource": resource,
            }
            if rnd.random() < 0.3:
                statement["Condition"] = rnd.choice(conditions)
            statements.append(statement)
        policies.append({"Version": "2012-10-17", "Statement": statements})
    return policies


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float], decisions_per_run: int) -> None:
    best, median = min(times), statistics.median(times)
    print(
        f"  {label:<44} median {median * 1e3:8.3f} ms  best {best * 1e3:8.3f} ms  "
        f"{decisions_per_run / median:10,.0f} decisions/s"
    )


def main() -> None:
    requests = check_requests()
    print(
        f"(a) required-statement check: {len(requests)} requests x {len(CHECK_POLICIES)} policies "
        "(AdministratorAccess, SageMakerFullAccess approximation, 8 custom)"
    )
    compiled = compile_policies(CHECK_POLICIES)
    as_text = [json.dumps(policy) for policy in CHECK_POLICIES]
    decisions = Counter(evaluate(r, compiled).decision for r in requests)
    # Without AdministratorAccess and the guide's own two policies, the gaps show:
    sagemaker_only = [compiled[1], *compiled[4:]]
    partial = Counter(evaluate(r, sagemaker_only).decision for r in requests)
    print(f"  decisions with all 10 policies: {dict(decisions)}")
    print(f"  decisions with SageMakerFullAccess approximation + 6 condition policies: {dict(partial)}")
    for _ in range(3):  # warm the caches (compiled regexes, parsed text)
        for r in requests:
            evaluate(r, compiled)
            evaluate(r, as_text)
    report(
        "whole check, parsed once (compile_policies)",
        timed(lambda: [evaluate(r, compiled) for r in requests], 200),
        len(requests),
    )
    report(
        "whole check, JSON text (parse cached)",
        timed(lambda: [evaluate(r, as_text) for r in requests], 200),
        len(requests),
    )
    report(
        "whole check, dicts (parsed on every call)",
        timed(lambda: [evaluate(r, CHECK_POLICIES) for r in requests], 30),
        len(requests),
    )

    def compile_then_check() -> None:
        policies = compile_policies(CHECK_POLICIES)
        for r in requests:
            evaluate(r, policies)

    report("compile the 10 dicts once + whole check", timed(compile_then_check, 50), len(requests))

    print("(b) one request against 20 policies x 500 statements")
    big = large_policies()
    parse_times = timed(lambda: compile_policies(big), 3)
    print(f"  parsing 10,000 statements: median {statistics.median(parse_times) * 1e3:.1f} ms")
    big_compiled = compile_policies(big)
    probes = [
        Request("s3:GetObject", "arn:aws:s3:::team-data/home/alice/x", USER, GLOBAL_CONTEXT),
        Request("sagemaker:CreatePipeline", PIPELINE, USER, {**GLOBAL_CONTEXT, **SCHEDULER_TAG}),
        Request("iam:PassRole", ROLE, USER, {**GLOBAL_CONTEXT, "iam:PassedToService": "sagemaker.amazonaws.com"}),
    ]
    for probe in probes:
        evaluate(probe, big_compiled)
        result = evaluate(probe, big_compiled)
        report(f"{probe.action} ({result.decision})", timed(lambda p=probe: evaluate(p, big_compiled), 200), 1)
    # Worst case for the per-service index: every one of the 10,000 statements is about S3.
    s3_only = compile_policies(large_policies(services=["s3"]))
    probe = probes[0]
    result = evaluate(probe, s3_only)
    report(f"S3-only: {probe.action} ({result.decision})", timed(lambda: evaluate(probe, s3_only), 50), 1)


# -- (c) adversarial wildcards -------------------------------------------------------------------

MANAGED_POLICY_QUOTA = 6144  # characters, whitespace not counted
KEY_LENGTH = 1024  # the longest S3 object key


def _policy(statement: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": [statement]}


def _size(policy: dict) -> int:
    return len(json.dumps(policy, separators=(",", ":")))


def _fill(make, limit: int = MANAGED_POLICY_QUOTA) -> tuple[dict, int]:
    """The largest ``make(n)`` policy within the quota, and its n."""
    n = 1
    while _size(make(n + 1)) <= limit:
        n += 1
    return make(n), n


def _allow(resource, action="s3:GetObject", condition=None, key="Resource") -> dict:
    statement = {"Effect": "Allow", "Action": action, key: resource}
    if condition:
        statement["Condition"] = condition
    return _policy(statement)


def adversarial_cases() -> dict[str, tuple[Request, dict]]:
    """name -> (request, policy). Every policy is legal and at most 6,144 characters."""
    bucket = "arn:aws:s3:::b/"
    many_a = "a" * KEY_LENGTH
    obj = bucket + many_a
    cases: dict[str, tuple[Request, dict]] = {}
    for n in (10, 12, 14):  # the shape at growing n
        cases[f"resource */a x{n} *c"] = (
            Request("s3:GetObject", obj),
            _allow(bucket + "*a" * n + "*c"),
        )
    full, n = _fill(lambda k: _allow(bucket + "*a" * k + "*c"))
    cases[f"resource */a x{n} *c (quota)"] = (Request("s3:GetObject", obj), full)
    full, n = _fill(lambda k: _allow(bucket + "*a" * k + "*c", key="NotResource"))
    cases[f"NotResource */a x{n} *c (quota)"] = (Request("s3:GetObject", obj), full)
    full, n = _fill(lambda k: _allow("*", action="s3:" + "*a" * k + "*c"))
    cases[f"action s3:*a x{n} *c (quota)"] = (Request("s3:" + "a" * 200, "*"), full)
    full, n = _fill(lambda k: _allow("*", condition={"StringLike": {"s3:prefix": "*a" * k + "*c"}}))
    cases[f"StringLike *a x{n} *c (quota)"] = (Request("s3:GetObject", "*", context={"s3:prefix": many_a}), full)
    full, n = _fill(lambda k: _allow("*", condition={"StringNotLike": {"s3:prefix": "*a" * k + "*c"}}))
    cases[f"StringNotLike *a x{n} *c (quota)"] = (
        Request("s3:GetObject", "*", context={"s3:prefix": many_a}),
        full,
    )
    arn_prefix = "arn:aws:sns:us-east-1:123456789012:"
    full, n = _fill(lambda k: _allow("*", condition={"ArnLike": {"aws:SourceArn": arn_prefix + "*a" * k + "*c"}}))
    cases[f"ArnLike *a x{n} *c (quota)"] = (
        Request("s3:GetObject", "*", context={"aws:SourceArn": arn_prefix + many_a}),
        full,
    )
    full, n = _fill(lambda k: _allow(bucket + "?*" * k + "c"))
    cases[f"resource ?* x{n} c (quota)"] = (Request("s3:GetObject", obj), full)
    full, n = _fill(lambda k: _allow(bucket + "*" + "a?" * k + "c*"))
    cases[f"resource *(a?) x{n} c* (quota)"] = (Request("s3:GetObject", obj), full)
    full, n = _fill(lambda k: _allow([f"{bucket}*a?{i}*" for i in range(k)]))
    cases[f"{n} resources */a?N/* (quota)"] = (Request("s3:GetObject", obj), full)
    full, n = _fill(lambda k: _allow([bucket + "*a" * 3 + f"*{i}" for i in range(k)]))
    cases[f"{n} resources */a x3 *N (quota)"] = (Request("s3:GetObject", obj), full)
    full, n = _fill(
        lambda k: _allow("*", condition={"StringLike": {"s3:prefix": ["*a" * 12 + f"*c{i}" for i in range(k)]}})
    )
    cases[f"StringLike {n} values *a x12 *cN (quota)"] = (
        Request("s3:GetObject", "*", context={"s3:prefix": many_a}),
        full,
    )
    full, n = _fill(lambda k: _allow("*", action=["s3:" + "*a" * 12 + f"*c{i}" for i in range(k)]))
    cases[f"{n} actions s3:*a x12 *cN (quota)"] = (Request("s3:" + "a" * 200, "*"), full)
    full, n = _fill(lambda k: _allow("*", condition={"ForAnyValue:StringLike": {"aws:TagKeys": "*a" * k + "*c"}}))
    cases[f"ForAnyValue:StringLike *a x{n} *c, 50 tag keys (quota)"] = (
        Request("s3:GetObject", "*", context={"aws:TagKeys": ["a" * 127 + str(i % 10) for i in range(50)]}),
        full,
    )
    tag_keys = ["a" * 126 + f"c{i % 10}" for i in range(50)]  # 50 tags, keys of 128 characters
    full, n = _fill(
        lambda k: _allow(
            "*", condition={"ForAnyValue:StringLike": {"aws:TagKeys": ["*a" * 12 + f"*b{i}*c?" for i in range(k)]}}
        )
    )
    cases[f"ForAnyValue:StringLike {n} values *a x12 *bN*c?, 50 tag keys (quota)"] = (
        Request("s3:GetObject", "*", context={"aws:TagKeys": tag_keys}),
        full,
    )
    full, n = _fill(
        lambda k: _allow(
            "*", condition={"ForAllValues:StringNotLike": {"aws:TagKeys": [f"*a*b{i}*" for i in range(k)]}}
        )
    )
    cases[f"ForAllValues:StringNotLike {n} values *a*bN*, 50 tag keys (quota)"] = (
        Request("s3:GetObject", "*", context={"aws:TagKeys": tag_keys}),
        full,
    )
    return cases


def _clear_caches() -> None:
    """Forget every compiled matcher and parsed text, so the next parse starts cold."""
    for module in list(sys.modules.values()):
        if module is not None and module.__name__.startswith("jupyter_nbjob_iam.policy"):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def _run_case(name: str) -> None:
    """In a subprocess: time one adversarial case and print the times in ms and the decision.

    ``cold``: parse the policy and decide, every cache cleared first (what the first check pays);
    ``warm``: decide again with the parsed policy (what every further request pays).
    """
    request, policy = adversarial_cases()[name]
    evaluate(Request("s3:GetObject"), [ADMINISTRATOR_ACCESS])  # imports and first-call costs out of the way
    cold: list[float] = []
    for _ in range(7):
        _clear_caches()
        start = time.perf_counter()
        parsed = compile_policies([policy])
        decision = evaluate(request, parsed).decision
        cold.append(time.perf_counter() - start)
        if sum(cold) > 3:
            break
    warm: list[float] = []
    for _ in range(50):
        start = time.perf_counter()
        evaluate(request, parsed)
        warm.append(time.perf_counter() - start)
        if sum(warm) > 3:
            break
    print(json.dumps({"cold": [t * 1e3 for t in cold], "warm": [t * 1e3 for t in warm], "decision": decision}))


def adversarial(cap: float) -> None:
    print(f"(c) adversarial wildcards: legal policies of at most {MANAGED_POLICY_QUOTA} chars, a subprocess per case")
    print(
        "    cold: parse + decide, every cache cleared (up to 7 runs); warm: decide with the parsed policy (up to 50);"
    )
    print(
        "    best and median over the runs (the machine is shared: a maximum measures the scheduler, not the matcher)"
    )
    head = (
        f"  {'case':<66} {'policy':>6} {'text':>5}  {'cold best':>10} {'cold med':>9}  {'warm best':>9} {'warm med':>9}"
    )
    print(head + "  decision")
    for name, (request, policy) in adversarial_cases().items():
        values = [v for value in request.context.values() for v in ([value] if isinstance(value, str) else value)]
        text = max(len(request.resource), len(request.action), *(len(v) for v in values))
        command = [sys.executable, __file__, "--case", name]
        where = f"  {name:<66} {_size(policy):>6} {text:>5}"
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=cap, check=True)
        except subprocess.TimeoutExpired:
            print(f"{where}  {'>' + format(cap, 'g') + ' s':>10} {'':>9}  {'':>9} {'':>9}  (killed)")
            continue
        out = json.loads(done.stdout)
        cold, warm = out["cold"], out["warm"]
        print(
            f"{where}  {min(cold):7.3f} ms {statistics.median(cold):6.3f} ms  "
            f"{min(warm):6.3f} ms {statistics.median(warm):6.3f} ms  {out['decision']}"
        )


# -- (d) memory --------------------------------------------------------------------------------------


def memory() -> None:
    print("(d) memory per parsed policy (tracemalloc: the parsed statements and the matchers they built)")
    for label, docs in (("the 10 check policies", CHECK_POLICIES), ("20 x 500-statement policies", large_policies())):
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        parsed = compile_policies(docs)
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        total = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
        statements = sum(len(doc["Statement"]) for doc in docs)
        print(
            f"  {label:<44} {total / len(parsed) / 1024:8.1f} KiB per policy  "
            f"{total / statements:8.0f} bytes per statement"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--adversarial", action="store_true", help="run only (c)")
    parser.add_argument("--cap", type=float, default=10.0, help="seconds per adversarial case")
    args = parser.parse_args()
    if args.case:
        _run_case(args.case)
    elif args.adversarial:
        adversarial(args.cap)
    else:
        main()
        adversarial(args.cap)
        memory()
