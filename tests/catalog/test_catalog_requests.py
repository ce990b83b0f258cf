"""build_requests: the concrete requests each required statement is checked with."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from jupyter_nbjob_iam.catalog import (
    Scope,
    build_requests,
    passed_to_services,
    required_statements,
)

from .catalog_oracle import as_list, conditions_hold, resource_matches

ACCOUNT = "123456789012"
REGION = "eu-west-1"
USER = f"arn:aws:iam::{ACCOUNT}:user/notebook-users/ada"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/SagemakerJupyterSchedulerRole"
SSO_ROLE = f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DS_0a1b"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
NOW = datetime(2024, 5, 17, 8, 30, 15, tzinfo=timezone.utc)

BUCKET = f"sagemaker-automated-execution-{ACCOUNT}-{REGION}"
BUCKET_ACTIONS = {
    "s3:CreateBucket",
    "s3:ListBucket",
    "s3:GetBucketLocation",
    "s3:PutEncryptionConfiguration",
    "s3:GetEncryptionConfiguration",
    "s3:PutBucketVersioning",
}
OBJECT_ACTIONS = {"s3:PutObject", "s3:GetObject", "s3:DeleteObject"}
NO_RESOURCE_TYPE = {"iam:ListRoles", "ecr:GetAuthorizationToken", "sagemaker:Search"}

SCOPES = {
    "user": Scope(ACCOUNT, REGION, USER, role_arn=ROLE, username="ada", kms_key_arn=KEY),
    "sso-role": Scope(ACCOUNT, REGION, SSO_ROLE, role_arn=ROLE),
    "no-role-chosen": Scope(ACCOUNT, REGION, USER),
    "root": Scope(ACCOUNT, REGION, f"arn:aws:iam::{ACCOUNT}:root", role_arn=ROLE),
}


def all_requests(scope: Scope, targets=("identity", "role", "kms")):
    out = []
    for target in targets:
        for stmt in required_statements(target, KEY):
            out.append((stmt, build_requests(stmt, scope, now=NOW)))
    return out


def by_action(requests, action):
    return [r for r in requests if r.action == action]


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_every_resource_matches_its_statements_resource(scope_name):
    for stmt, requests in all_requests(SCOPES[scope_name]):
        assert requests, stmt.sid
        patterns = as_list(stmt.statement["Resource"])
        for r in requests:
            assert any(resource_matches(p, r.resource) for p in patterns), (stmt.sid, r.resource)
            assert (r.target, r.sid) == (stmt.target, stmt.sid)


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_every_request_satisfies_its_statements_conditions(scope_name):
    checked = 0
    for stmt, requests in all_requests(SCOPES[scope_name]):
        condition = stmt.statement.get("Condition")
        if not condition:
            continue
        for r in requests:
            assert conditions_hold(condition, r.context), (stmt.sid, r.action, r.context)
            checked += 1
    # EventBridge 8 (+1: PutRule also without tags, a schedule update), PassRole x2, SagemakerJobs 6 (+3:
    # CreateTrainingJob from a definition, Describe/StopTrainingJob on a scheduled run's job), role PassRole 1
    assert checked == 9 + 2 + 9 + 1


def test_the_condition_oracle_can_say_no():
    stmt = required_statements("identity")[0]
    r = build_requests(stmt, SCOPES["user"], now=NOW)[0]
    wrong = dict(r.context)
    wrong["aws:ResourceTag/sagemaker:is-scheduling-notebook-job"] = "false"
    assert not conditions_hold(stmt.statement["Condition"], wrong)
    del wrong["aws:ResourceTag/sagemaker:is-scheduling-notebook-job"]
    assert not conditions_hold(stmt.statement["Condition"], wrong)


def test_requests_cover_each_action_in_order():
    for stmt, requests in all_requests(SCOPES["user"]):
        seen = []
        for r in requests:
            if not seen or seen[-1] != r.action:
                seen.append(r.action)
        assert tuple(seen) == stmt.actions, stmt.sid


def test_passrole_once_per_passed_to_service():
    (ident,) = [s for s in required_statements("identity") if s.sid == "IAMPassrole"]
    reqs = build_requests(ident, SCOPES["user"], now=NOW)
    assert [r.context["iam:PassedToService"] for r in reqs] == [
        "sagemaker.amazonaws.com",
        "events.amazonaws.com",
    ]
    assert {r.resource for r in reqs} == {ROLE}
    assert all(r.note is None for r in reqs)
    (role_stmt,) = [s for s in required_statements("role") if s.sid == "PassroleForJobCreation"]
    reqs = build_requests(role_stmt, SCOPES["user"], now=NOW)
    assert [(r.resource, r.context["iam:PassedToService"]) for r in reqs] == [(ROLE, "sagemaker.amazonaws.com")]
    assert passed_to_services(ident.statement) == ("sagemaker.amazonaws.com", "events.amazonaws.com")
    assert passed_to_services({"Action": "iam:PassRole"}) == ()


def test_no_role_chosen_uses_the_schedulers_default_name_and_says_so():
    default = f"arn:aws:iam::{ACCOUNT}:role/SagemakerJupyterScheduler"
    for stmt, requests in all_requests(SCOPES["no-role-chosen"], targets=("identity", "role")):
        for r in requests:
            if r.action == "iam:PassRole":
                assert r.resource == default
            if r.action == "iam:PassRole" or stmt.target == "role":
                assert r.note and "default role" in r.note and default in r.note
            if stmt.target == "role":
                assert r.context["aws:PrincipalArn"] == default


def test_bucket_and_object_arns():
    seen = set()
    for stmt, requests in all_requests(SCOPES["user"], targets=("identity", "role")):
        if stmt.sid == "S3DriverAccess":
            continue
        for r in requests:
            if r.action in BUCKET_ACTIONS:
                assert r.resource == f"arn:aws:s3:::{BUCKET}", r.action
            elif r.action in OBJECT_ACTIONS:
                # <job>/input/<notebook>, <job>/output/output.tar.gz or <definition>/<pipelines-...>/output/...
                assert re.fullmatch(
                    rf"arn:aws:s3:::{BUCKET}/[a-z0-9-]+/(input/[^/]+\.ipynb|([a-z0-9-]+/)?output/output\.tar\.gz)",
                    r.resource,
                ), r.resource
            else:
                continue
            seen.add(r.action)
    assert seen == BUCKET_ACTIONS | OBJECT_ACTIONS


def test_legacy_driver_bucket():
    for target in ("identity", "role"):
        (stmt,) = [s for s in required_statements(target) if s.sid == "S3DriverAccess"]
        got = {r.action: r.resource for r in build_requests(stmt, SCOPES["user"], now=NOW)}
        bucket = f"arn:aws:s3:::sagemakerheadlessexecution-prod-{REGION}"
        assert got == {
            "s3:ListBucket": bucket,
            "s3:GetObject": f"{bucket}/headless_system_dependencies/latest",
            "s3:GetBucketLocation": bucket,
        }
        for r in build_requests(stmt, SCOPES["user"], now=NOW):
            # An AWS-owned bucket: its account is not ours and not known.
            assert "aws:ResourceAccount" not in r.context and r.is_unknown("aws:ResourceAccount")


def test_star_only_for_actions_without_a_resource_type():
    for _, requests in all_requests(SCOPES["user"]):
        for r in requests:
            if r.action in NO_RESOURCE_TYPE:
                assert r.resource == "*", r.action
            else:
                assert r.resource.startswith("arn:aws:"), (r.action, r.resource)
                assert "*" not in r.resource and "?" not in r.resource


def test_eventbridge_sagemaker_and_ecr_arn_shapes():
    reqs = [r for _, rs in all_requests(SCOPES["user"]) for r in rs]
    for r in reqs:
        if r.action.startswith("events:"):
            assert re.fullmatch(rf"arn:aws:events:{REGION}:{ACCOUNT}:rule/[\w.-]+", r.resource)
        if r.action in (
            "sagemaker:CreatePipeline",
            "sagemaker:DeletePipeline",
            "sagemaker:DescribePipeline",
            "sagemaker:StartPipelineExecution",
        ):
            assert re.fullmatch(rf"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/[A-Za-z0-9-]+", r.resource)
        if r.action in (
            "sagemaker:CreateTrainingJob",
            "sagemaker:DescribeTrainingJob",
            "sagemaker:StopTrainingJob",
        ):
            assert re.fullmatch(rf"arn:aws:sagemaker:{REGION}:{ACCOUNT}:training-job/[A-Za-z0-9-]{{1,63}}", r.resource)
        if r.action in ("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"):
            # The scheduler's standalone image lives in AWS's registry for the region, not ours.
            assert r.resource == f"arn:aws:ecr:{REGION}:470317259841:repository/sagemaker-base-python-38"
            assert r.context["aws:ResourceAccount"] == "470317259841"
            assert r.note is None


def test_tag_actions_one_request_per_tagged_resource_type():
    (stmt,) = [s for s in required_statements("identity") if s.sid == "SagemakerTags"]
    reqs = build_requests(stmt, SCOPES["user"], now=NOW)
    kinds = [(r.action, r.resource.split(":")[5].split("/")[0]) for r in reqs]
    assert kinds == [
        ("sagemaker:ListTags", "pipeline"),
        ("sagemaker:ListTags", "training-job"),  # a run-now job
        ("sagemaker:ListTags", "training-job"),  # a scheduled run's job
        ("sagemaker:AddTags", "pipeline"),  # CreatePipeline with tags
        ("sagemaker:AddTags", "training-job"),  # archiving a deleted run-now job
        ("sagemaker:AddTags", "training-job"),  # archiving a deleted scheduled run's job
        ("sagemaker:AddTags", "training-job"),  # CreateTrainingJob with tags (run now)
        ("sagemaker:AddTags", "training-job"),  # CreateTrainingJob with tags (run from a definition)
    ]
    archive = [r for r in reqs if r.action == "sagemaker:AddTags" and "sagemaker:TaggingAction" not in r.context]
    assert len(archive) == 2
    assert all(r.context["aws:TagKeys"] == ["sagemaker:is-studio-archived"] for r in archive)
    assert all(r.context["aws:RequestTag/sagemaker:is-studio-archived"] == "true" for r in archive)
    assert all(r.is_unknown("sagemaker:TaggingAction") for r in archive)


def test_scheduler_tags_on_create_requests():
    ident, role = {}, {}  # the first request of each action
    for _, rs in all_requests(SCOPES["user"], ("identity",)):
        for r in rs:
            ident.setdefault(r.action, r)
    for _, rs in all_requests(SCOPES["user"], ("role",)):
        for r in rs:
            role.setdefault(r.action, r)
    common = [
        "sagemaker:name",
        "sagemaker:notebook-name",
        "sagemaker:is-scheduling-notebook-job",
        "sagemaker:is-studio-archived",
        "sagemaker:headless-execution-version",
    ]
    for action in (
        "events:PutRule",
        "events:TagResource",
        "sagemaker:CreatePipeline",
        "sagemaker:CreateTrainingJob",
    ):
        r = ident[action]
        assert r.context["aws:TagKeys"] == common, action
        assert r.context["aws:RequestTag/sagemaker:is-scheduling-notebook-job"] == "true"
        assert r.is_unknown("aws:RequestTag/sagemaker:name")  # the person's job name
    # A training job started by the pipeline also carries the job definition id.
    assert role["sagemaker:CreateTrainingJob"].context["aws:TagKeys"] == common + ["sagemaker:job-definition-id"]
    for action in ("events:DescribeRule", "sagemaker:DescribePipeline", "sagemaker:StopTrainingJob"):
        assert "aws:TagKeys" not in ident[action].context
        assert not any(k.startswith("aws:RequestTag/") for k in ident[action].context)
    assert ident["events:PutTargets"].context["events:TargetArn"] == ident["sagemaker:CreatePipeline"].resource


def test_global_keys_for_a_user():
    for _, requests in all_requests(SCOPES["user"], ("identity", "kms")):
        for r in requests:
            c = r.context
            assert c["aws:PrincipalArn"] == USER
            assert c["aws:PrincipalAccount"] == ACCOUNT
            assert c["aws:PrincipalType"] == "User"
            assert c["aws:username"] == "ada"
            assert c["aws:SecureTransport"] == "true"
            assert c["aws:PrincipalIsAWSService"] == "false"
            assert c["aws:CurrentTime"] == "2024-05-17T08:30:15Z"
            assert c["aws:EpochTime"] == str(int(NOW.timestamp()))
            expected_region = "us-east-1" if r.action == "iam:ListRoles" else REGION
            assert c["aws:RequestedRegion"] == expected_region, r.action


def test_username_comes_from_the_arn_when_not_given():
    scope = Scope(ACCOUNT, REGION, USER, role_arn=ROLE)
    r = build_requests(required_statements("identity")[2], scope, now=NOW)[0]
    assert r.context["aws:username"] == "ada"


@pytest.mark.parametrize(("scope_name", "ptype"), [("sso-role", "AssumedRole"), ("root", "Account")])
def test_principal_type_and_no_username_for_non_users(scope_name, ptype):
    for _, requests in all_requests(SCOPES[scope_name], ("identity",)):
        for r in requests:
            assert r.context["aws:PrincipalType"] == ptype
            assert "aws:username" not in r.context
            assert r.context["aws:PrincipalArn"] == SCOPES[scope_name].principal_arn


def test_federated_user_principal_type():
    scope = Scope(ACCOUNT, REGION, f"arn:aws:sts::{ACCOUNT}:federated-user/bob", role_arn=ROLE)
    r = build_requests(required_statements("identity")[2], scope, now=NOW)[0]
    assert r.context["aws:PrincipalType"] == "FederatedUser"
    assert "aws:username" not in r.context


def test_role_target_requests_are_made_by_the_role():
    for _, requests in all_requests(SCOPES["user"], ("role",)):
        for r in requests:
            assert r.context["aws:PrincipalArn"] == ROLE
            assert r.context["aws:PrincipalType"] == "AssumedRole"
            assert "aws:username" not in r.context
            # Made by SageMaker/EventBridge with the role's session: whether "via a service" is unknown.
            assert r.is_unknown("aws:ViaAWSService") and r.is_unknown("aws:CalledVia")


def test_direct_calls_are_not_via_a_service():
    for _stmt, requests in all_requests(SCOPES["user"], ("identity",)):
        for r in requests:
            if r.action == "iam:PassRole":
                assert r.is_unknown("aws:ViaAWSService")
            else:
                assert r.context["aws:ViaAWSService"] == "false", r.action


def test_unknown_keys():
    for _, requests in all_requests(SCOPES["user"]):
        for r in requests:
            for key in (
                "aws:SourceIp",
                "aws:SourceVpc",
                "aws:SourceVpce",
                "aws:userid",
                "aws:MultiFactorAuthPresent",
                "aws:PrincipalOrgID",
            ):
                assert r.is_unknown(key), (r.action, key)
            assert r.is_unknown("aws:PrincipalTag/team")
            assert r.is_unknown("AWS:principaltag/Team")  # keys are case-insensitive
            for key in r.context:
                assert not r.is_unknown(key), (r.action, key)
            assert not r.is_unknown("aws:RequestedRegion")
            assert not r.is_unknown("aws:PrincipalTagX")
            # Users have no session keys; the execution role works through a session.
            assert r.is_unknown("aws:SourceIdentity") == (r.target == "role")
    sso = [r for _, rs in all_requests(SCOPES["sso-role"], ("identity",)) for r in rs]
    assert all(r.is_unknown("aws:SourceIdentity") for r in sso)


def test_resource_tags_known_for_scheduler_resources_unknown_for_others():
    reqs = {(r.action, r.resource): r for _, rs in all_requests(SCOPES["user"]) for r in rs}
    for (action, resource), r in reqs.items():
        if ":rule/" in resource or ":pipeline/" in resource or ":training-job/" in resource:
            assert r.context["aws:ResourceTag/sagemaker:is-scheduling-notebook-job"] == "true"
            assert r.context["aws:ResourceTag/sagemaker:is-studio-archived"] == "false"
            assert r.is_unknown("aws:ResourceTag/sagemaker:name")
            assert not r.is_unknown("aws:ResourceTag/owner")  # known to be absent
            if action.startswith("sagemaker:"):
                assert r.context["sagemaker:ResourceTag/sagemaker:is-scheduling-notebook-job"] == "true"
        elif resource == "*":
            assert not any(k.startswith("aws:ResourceTag/") for k in r.context)
            assert not r.is_unknown("aws:ResourceTag/owner")
        else:
            assert r.is_unknown("aws:ResourceTag/owner"), (action, resource)


def test_ecr_registry_outside_the_known_regions():
    scope = Scope(ACCOUNT, "ap-south-2", USER, role_arn=ROLE)
    (stmt,) = [s for s in required_statements("role") if s.sid == "ECRImage"]
    for r in build_requests(stmt, scope, now=NOW):
        if r.action == "ecr:GetAuthorizationToken":
            continue
        assert r.resource == f"arn:aws:ecr:ap-south-2:{ACCOUNT}:repository/sagemaker-base-python-38"
        assert r.note and "ap-south-2" in r.note


def test_kms_requests():
    (stmt,) = required_statements("kms", KEY)
    reqs = build_requests(stmt, SCOPES["user"], now=NOW)
    assert len(reqs) == 8
    for r in reqs:
        assert r.resource == KEY
        assert r.context["aws:ResourceAccount"] == ACCOUNT
        assert r.context["kms:CallerAccount"] == ACCOUNT
        assert "kms:RequestAlias" not in r.context
        assert r.is_unknown("kms:ViaService")  # S3 or SageMaker calls KMS on the person's behalf
        # DescribeKey carries no encryption context; the data-key operations carry S3's or SageMaker's.
        assert r.is_unknown("kms:EncryptionContext:aws:s3:arn") == (r.action != "kms:DescribeKey")
        assert r.is_unknown("kms:GrantIsForAWSResource") == (r.action == "kms:CreateGrant")
        assert r.note is None


def test_kms_key_of_another_region_is_noted():
    key = f"arn:aws:kms:us-west-2:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    (stmt,) = required_statements("kms", key)
    for r in build_requests(stmt, SCOPES["user"], now=NOW):
        assert r.resource == key
        assert "us-west-2" in r.note and REGION in r.note


def test_time_defaults_to_now_utc():
    before = datetime.now(timezone.utc).replace(microsecond=0)
    r = build_requests(required_statements("identity")[2], SCOPES["user"])[0]
    after = datetime.now(timezone.utc)
    t = datetime.strptime(r.context["aws:CurrentTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert before <= t <= after
    assert abs(int(r.context["aws:EpochTime"]) - t.timestamp()) < 2
    # A non-UTC "now" is converted.
    r = build_requests(
        required_statements("identity")[2], SCOPES["user"], now=NOW.astimezone(timezone(timedelta(hours=2)))
    )[0]
    assert r.context["aws:CurrentTime"] == "2024-05-17T08:30:15Z"


def test_context_values_are_json_and_string_typed():
    for _, requests in all_requests(SCOPES["user"]):
        for r in requests:
            json.dumps(r.context)
            for key, value in r.context.items():
                assert isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value)), (
                    key
                )
