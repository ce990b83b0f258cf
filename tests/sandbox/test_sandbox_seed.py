"""The seeded demo account, created over HTTP in the test moto server (``aws_env``)."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import unquote

import boto3
import pytest

from jupyter_nbjob_iam.catalog import Scope, build_requests, required_statements, trust_requirement
from jupyter_nbjob_iam.policy import Request, evaluate
from jupyter_nbjob_iam.sandbox import SEEDED_DETAILS, SEEDED_STATUSES, seed
from jupyter_nbjob_iam.sandbox.seed import FULL_ACCESS_ARN, TOOL_POLICY_NAME

ACCOUNT = "123456789012"


def _doc(value) -> dict:
    """IAM documents come back as dicts from boto3, or URL-encoded JSON from some servers."""
    return value if isinstance(value, dict) else json.loads(unquote(value))


ROOT_KEYS = {"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key": "fake"}


@pytest.fixture(scope="module")
def seeded(moto_server):
    """One seeded account for the read-only tests of this module (seeding costs seconds: moto builds
    its AWS managed policies on the first IAM call after a reset). Tests that need a fresh account use
    ``aws_env`` and live in test_sandbox_seed_fresh.py."""
    req = urllib.request.Request(f"{moto_server}/moto-api/reset", data=b"", method="POST")
    urllib.request.urlopen(req, timeout=10).read()
    return moto_server, seed(moto_server, "us-east-1")


@pytest.fixture
def account(seeded):
    return seeded[1]


@pytest.fixture
def iam(seeded):
    return boto3.client("iam", endpoint_url=seeded[0], region_name="us-east-1", **ROOT_KEYS)


def test_user_with_path_and_access_key(account, iam):
    user = iam.get_user(UserName="ada")["User"]
    assert user["Path"] == "/notebook-users/"
    assert user["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/notebook-users/ada" == account.user_arn
    keys = iam.list_access_keys(UserName="ada")["AccessKeyMetadata"]
    assert [k["AccessKeyId"] for k in keys] == [account.access_key_id]
    assert account.account_id == ACCOUNT and account.region == "us-east-1"
    assert account.secret_access_key not in repr(account)


def test_adas_keys_are_ada(account, seeded):
    sts = boto3.client(
        "sts",
        endpoint_url=seeded[0],
        region_name="us-east-1",
        aws_access_key_id=account.access_key_id,
        aws_secret_access_key=account.secret_access_key,
    )
    ident = sts.get_caller_identity()
    assert ident["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/notebook-users/ada"
    assert ident["Account"] == ACCOUNT


def test_adas_policies(account, iam):
    assert sorted(iam.list_user_policies(UserName="ada")["PolicyNames"]) == sorted(["NotebookBasics", TOOL_POLICY_NAME])
    groups = iam.list_groups_for_user(UserName="ada")["Groups"]
    assert [g["GroupName"] for g in groups] == ["data-scientists"]
    assert iam.list_group_policies(GroupName="data-scientists")["PolicyNames"] == ["SearchNotebookJobs"]
    attached = iam.list_attached_user_policies(UserName="ada")["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [account.managed_policy_arn]
    # Not AmazonSageMakerFullAccess by default: it would hide the seeded gaps.
    assert FULL_ACCESS_ARN not in [p["PolicyArn"] for p in attached]
    policy = iam.get_policy(PolicyArn=account.managed_policy_arn)["Policy"]
    assert policy["DefaultVersionId"] == "v2"
    v1 = _doc(iam.get_policy_version(PolicyArn=account.managed_policy_arn, VersionId="v1")["PolicyVersion"]["Document"])
    assert v1["Statement"][0]["Action"] == "sagemaker:*"  # the old, broad, non-default version


def _trusted_services(role: dict) -> list[str]:
    doc = _doc(role["AssumeRolePolicyDocument"])
    services: list[str] = []
    for st in doc["Statement"]:
        if st.get("Effect") == "Allow" and st.get("Action") in ("sts:AssumeRole", ["sts:AssumeRole"]):
            s = st["Principal"]["Service"]
            services += [s] if isinstance(s, str) else s
    return services


def test_roles_and_trust(account, iam):
    roles = {r["RoleName"]: r for r in iam.list_roles()["Roles"]}
    assert set(roles) == {
        "SagemakerJupyterSchedulerRole",
        "AmazonSageMaker-ExecutionRole-20240101T000000",
        "lambda-data-export",
    }
    sched = roles["SagemakerJupyterSchedulerRole"]
    assert sched["Path"] == "/service-role/"
    assert sched["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/service-role/SagemakerJupyterSchedulerRole" == account.role_arn
    assert _trusted_services(sched) == ["sagemaker.amazonaws.com"]
    console = roles["AmazonSageMaker-ExecutionRole-20240101T000000"]
    assert console["Path"] == "/service-role/" and console["Arn"] == account.console_role_arn
    assert _trusted_services(console) == ["sagemaker.amazonaws.com"]
    assert _trusted_services(roles["lambda-data-export"]) == ["lambda.amazonaws.com"]
    assert iam.list_role_policies(RoleName="SagemakerJupyterSchedulerRole")["PolicyNames"] == ["NotebookJobArtifacts"]
    # The test server loads AWS managed policies (tests/conftest.py), so the console role has FullAccess.
    attached = iam.list_attached_role_policies(RoleName="AmazonSageMaker-ExecutionRole-20240101T000000")
    assert [p["PolicyArn"] for p in attached["AttachedPolicies"]] == [FULL_ACCESS_ARN]
    assert account.full_access_attached_to == (account.console_role_arn,)


def test_role_policy_is_part_of_the_guides(account, iam):
    doc = _doc(
        iam.get_role_policy(RoleName="SagemakerJupyterSchedulerRole", PolicyName="NotebookJobArtifacts")[
            "PolicyDocument"
        ]
    )
    guide = {s.sid: s.statement for s in required_statements("role")}
    assert [s["Sid"] for s in doc["Statement"]] == ["S3ForStoringArtifacts", "ECRImage"]
    for st in doc["Statement"]:
        assert st == guide[st["Sid"]]


# --- the statuses a correct check reports for the seeded account ---------------------------------


def _policies_of_ada(iam, account) -> list[dict]:
    docs = []
    for name in iam.list_user_policies(UserName="ada")["PolicyNames"]:
        docs.append(_doc(iam.get_user_policy(UserName="ada", PolicyName=name)["PolicyDocument"]))
    for group in iam.list_groups_for_user(UserName="ada")["Groups"]:
        for name in iam.list_group_policies(GroupName=group["GroupName"])["PolicyNames"]:
            docs.append(_doc(iam.get_group_policy(GroupName=group["GroupName"], PolicyName=name)["PolicyDocument"]))
    for p in iam.list_attached_user_policies(UserName="ada")["AttachedPolicies"]:
        version = iam.get_policy(PolicyArn=p["PolicyArn"])["Policy"]["DefaultVersionId"]
        docs.append(
            _doc(iam.get_policy_version(PolicyArn=p["PolicyArn"], VersionId=version)["PolicyVersion"]["Document"])
        )
    return docs


def _policies_of_role(iam, name) -> list[dict]:
    docs = [
        _doc(iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"])
        for p in iam.list_role_policies(RoleName=name)["PolicyNames"]
    ]
    for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
        version = iam.get_policy(PolicyArn=p["PolicyArn"])["Policy"]["DefaultVersionId"]
        docs.append(
            _doc(iam.get_policy_version(PolicyArn=p["PolicyArn"], VersionId=version)["PolicyVersion"]["Document"])
        )
    return docs


def _status(stmt, scope, policies) -> tuple[str, dict]:
    missing, unknown, allowed = [], [], 0
    for r in build_requests(stmt, scope):
        result = evaluate(
            Request(
                action=r.action,
                resource=r.resource,
                principal=r.context["aws:PrincipalArn"],
                context=r.context,
            ),
            policies=policies,
        )
        if result.decision == "allowed":
            allowed += 1
        elif result.decision == "implicitDeny" and any(r.is_unknown(k) for k in result.missing_context):
            unknown += [k for k in result.missing_context if k not in unknown]
        elif r.action not in missing:
            missing.append(r.action)
    if unknown and not missing:
        return "conditional", {"unknown_keys": unknown}
    if not allowed and not unknown:
        return "missing", {}
    if missing:
        return "partial", {"missing_actions": missing}
    return "ok", {}


def test_seeded_statuses_for_ada(account, iam):
    policies = _policies_of_ada(iam, account)
    scope = Scope(ACCOUNT, "us-east-1", account.user_arn, role_arn=account.role_arn, username="ada")
    got, details = {}, {}
    for stmt in required_statements("identity"):
        got[stmt.sid], detail = _status(stmt, scope, policies)
        if detail:
            details[stmt.sid] = detail
    assert got == SEEDED_STATUSES["identity"]
    assert details == SEEDED_DETAILS["identity"]


def test_seeded_statuses_for_the_execution_role(account, iam):
    policies = _policies_of_role(iam, "SagemakerJupyterSchedulerRole")
    scope = Scope(ACCOUNT, "us-east-1", account.user_arn, role_arn=account.role_arn)
    got = {stmt.sid: _status(stmt, scope, policies)[0] for stmt in required_statements("role")}
    assert got == SEEDED_STATUSES["role"]
    role = iam.get_role(RoleName="SagemakerJupyterSchedulerRole")["Role"]
    missing = [s for s in trust_requirement().services if s not in _trusted_services(role)]
    assert {"missing_services": missing} == SEEDED_DETAILS["trust"]["TrustRelationship"]
    assert SEEDED_STATUSES["trust"] == {"TrustRelationship": "missing"}


def test_the_tool_can_read_and_fix_but_not_more(account, iam):
    """NbJobIamToolAccess grants the extension's reads and writes, and no notebook-job permission."""
    tool = _doc(iam.get_user_policy(UserName="ada", PolicyName=TOOL_POLICY_NAME)["PolicyDocument"])
    scope = Scope(ACCOUNT, "us-east-1", account.user_arn, role_arn=account.role_arn, username="ada")
    for stmt in required_statements("identity"):
        for r in build_requests(stmt, scope):
            decision = evaluate(
                Request(action=r.action, resource=r.resource, context=r.context), policies=[tool]
            ).decision
            expected = "allowed" if r.action == "iam:ListRoles" else "implicitDeny"
            assert decision == expected, r.action
    for action in (
        "iam:GetUser",
        "iam:ListAttachedUserPolicies",
        "iam:GetPolicyVersion",
        "iam:GetAccountSummary",
        "iam:SimulatePrincipalPolicy",
        "iam:PutUserPolicy",
        "iam:PutRolePolicy",
        "iam:UpdateAssumeRolePolicy",
        "iam:CreatePolicyVersion",
        "iam:AttachRolePolicy",
    ):
        assert evaluate(Request(action=action, resource="*"), policies=[tool]).decision == "allowed", action
    for action in ("iam:CreateUser", "iam:PassRole", "iam:CreateAccessKey", "iam:DeleteRole"):
        assert evaluate(Request(action=action, resource="*"), policies=[tool]).decision == "implicitDeny", action
