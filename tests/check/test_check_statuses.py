"""Every status of the local engine, from policies read over HTTP from a moto account: ok, missing,
partial, denied (explicit deny, role boundary), conditional (unknown context), unknown (refused
reads); conditions that match and that do not; groups; malformed policies; the KMS key."""

from __future__ import annotations

import pytest

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.catalog import required_statements
from jupyter_nbjob_iam.check import run_check
from jupyter_nbjob_iam.errors import InputError

from .check_helpers import ACCOUNT, BOTH, EVERYTHING, GUIDE_ROLE, GUIDE_USER, allow, deny, doc

KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
OTHER_KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/9999abcd-12ab-34cd-56ef-1234567890ab"
IDENTITY_SIDS = [s.sid for s in required_statements("identity")]
EVENT_ACTIONS = list(required_statements("identity")[0].actions)


def statement(report, target: str, sid: str) -> dict:
    (found,) = [
        s for t in report.to_json()["targets"] if t["target"] == target for s in t["statements"] if s["sid"] == sid
    ]
    return found


def check(**kwargs):
    return run_check(AwsSession(), engine="local", **kwargs)


def test_the_guides_own_policies_leave_only_the_pipelines_tagging_missing(ada, make_role):
    # Given ada with the guide's user policy, and a role with the guide's role policy trusting both services
    role = make_role("Exec", path="/service-role/", services=BOTH, inline={"Guide": GUIDE_ROLE})
    ada(inline={"Guide": GUIDE_USER})
    # When checked
    report = check(role=role)
    # Then every statement is ok, each decided by the guide's own statement, except the one the guide
    # leaves out: the role tagging the training job its pipeline creates (a scheduled run fails without)
    assert not report.ok
    assert [t.target for t in report.targets] == ["identity", "trust", "role"]
    statuses = report.statuses()
    assert statuses["role"].pop("TagPipelineTrainingJobs") == "missing"
    assert {s for t in statuses.values() for s in t.values()} == {"ok"}
    assert statement(report, "identity", "IAMListRoles")["decided_by"] == [
        {"policy": "Guide", "source": "inline", "sid": "IAMListRoles", "effect": "Allow"}
    ]
    assert statement(report, "role", "TagPipelineTrainingJobs")["missing_actions"] == ["sagemaker:AddTags"]
    assert report.engine == "local"


def test_the_guides_policies_with_the_pipelines_tagging_make_everything_ok(ada, make_role):
    # Given the guide's policies, and the role also allowed to tag its pipelines' training jobs
    tagging = doc(allow("sagemaker:AddTags", resource=f"arn:aws:sagemaker:*:{ACCOUNT}:training-job/pipelines-*"))
    role = make_role("Exec", path="/service-role/", services=BOTH, inline={"Guide": GUIDE_ROLE, "Tags": tagging})
    ada(inline={"Guide": GUIDE_USER})
    # When checked, then everything is ok
    report = check(role=role)
    assert {s for t in report.statuses().values() for s in t.values()} == {"ok"}
    assert report.ok


def test_no_policy_means_every_statement_missing_with_all_its_actions(ada):
    # Given ada without any policy
    ada()
    # When checked
    report = check()
    # Then each identity statement is missing, listing every action it needs
    assert report.statuses()["identity"] == dict.fromkeys(IDENTITY_SIDS, "missing")
    events = statement(report, "identity", "EventBridgeSchedule")
    assert events["missing_actions"] == EVENT_ACTIONS
    assert events["detail"].startswith("No policy allows events:TagResource")
    assert not report.ok


def test_some_actions_allowed_is_partial_listing_the_missing_ones(ada):
    # Given ada allowed two of EventBridgeSchedule's eight actions
    ada(inline={"Rules": doc(allow("events:PutRule", "events:PutTargets", sid="Rules"))})
    # When checked
    events = statement(check(), "identity", "EventBridgeSchedule")
    # Then the statement is partial and lists the six others, in the guide's order
    assert events["status"] == "partial"
    assert events["missing_actions"] == [a for a in EVENT_ACTIONS if a not in ("events:PutRule", "events:PutTargets")]
    assert "Rules (inline)" in events["detail"]


def test_passrole_to_one_service_only_is_partial_naming_the_other_service(ada, make_role):
    # Given ada may pass roles to SageMaker but not to EventBridge
    role = make_role("Exec", services=BOTH)
    passrole = allow(
        "iam:PassRole",
        resource="arn:aws:iam::*:role/*",
        condition={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
    )
    ada(inline={"Pass": doc(passrole)})
    # When checked with that role
    passes = statement(check(role=role), "identity", "IAMPassrole")
    # Then PassRole is partial: missing only when passed to events.amazonaws.com
    assert passes["status"] == "partial"
    assert (passes["missing_actions"], passes["missing_services"]) == (["iam:PassRole"], ["events.amazonaws.com"])


def test_an_explicit_deny_is_denied_and_names_the_policy(ada):
    # Given ada may do everything, but a policy denies EventBridge
    ada(inline={"All": EVERYTHING, "NoEvents": doc(deny("events:*", sid="NoEventBridge"))})
    # When checked
    report = check()
    events = statement(report, "identity", "EventBridgeSchedule")
    # Then EventBridgeSchedule is denied by that statement, and the rest is ok
    assert events["status"] == "denied"
    assert events["decided_by"] == [
        {"policy": "NoEvents", "source": "inline", "sid": "NoEventBridge", "effect": "Deny"}
    ]
    assert "explicit deny in NoEvents (inline)" in events["detail"]
    assert events["missing_actions"] == EVENT_ACTIONS
    assert {sid for sid, st in report.statuses()["identity"].items() if st != "ok"} == {"EventBridgeSchedule"}


def test_a_role_boundary_that_does_not_allow_is_denied_naming_the_boundary(ada, make_role, managed):
    # Given a role allowed everything by its own policy, but bounded to S3 and ECR
    boundary = managed("S3AndEcrOnly", doc(allow("s3:*", "ecr:*")))
    role = make_role("Bounded", services=BOTH, inline={"All": EVERYTHING}, boundary=boundary)
    ada(inline={"All": EVERYTHING})
    # When checked with that role
    report = check(role=role)
    # Then what the boundary allows is ok; the rest is denied by the boundary, by name
    assert report.statuses()["role"] == {
        "PassroleForJobCreation": "denied",
        "S3ForStoringArtifacts": "ok",
        "S3DriverAccess": "ok",
        "SagemakerJobs": "denied",
        "ECRImage": "ok",
        "TagPipelineTrainingJobs": "denied",
    }
    jobs = statement(report, "role", "SagemakerJobs")
    assert jobs["decided_by"] == [{"policy": "S3AndEcrOnly", "source": "boundary", "sid": None, "effect": "Deny"}]
    assert "permissions boundary S3AndEcrOnly does not allow" in jobs["detail"]
    assert report.statuses()["identity"] == dict.fromkeys(IDENTITY_SIDS, "ok")


def test_a_condition_on_the_source_ip_is_conditional(ada):
    # Given ada may tag notebook jobs only from the office network
    office = {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    ada(inline={"Office": doc(allow("sagemaker:ListTags", "sagemaker:AddTags", condition=office, sid="FromOffice"))})
    # When checked
    tags = statement(check(), "identity", "SagemakerTags")
    # Then the result depends on the source IP: conditional, naming the key and the policy
    assert tags["status"] == "conditional"
    assert tags["unknown_keys"] == ["aws:SourceIp"]
    assert tags["missing_actions"] == []
    assert tags["decided_by"] == [{"policy": "Office", "source": "inline", "sid": "FromOffice", "effect": "Allow"}]
    assert "aws:SourceIp" in tags["detail"]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"StringEquals": {"aws:RequestedRegion": "us-east-1"}}, "ok"),
        ({"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}, "missing"),
        ({"StringEquals": {"aws:username": "ada"}}, "ok"),
        ({"StringEquals": {"aws:username": "bob"}}, "missing"),
        ({"Bool": {"aws:SecureTransport": "true"}}, "ok"),
        ({"Bool": {"aws:SecureTransport": "false"}}, "missing"),
        ({"StringEquals": {"aws:ResourceTag/sagemaker:is-scheduling-notebook-job": "true"}}, "ok"),
        ({"StringEquals": {"aws:ResourceTag/sagemaker:is-scheduling-notebook-job": "false"}}, "missing"),
        # A known key that fails decides, whatever the unknown one holds.
        (
            {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
            "missing",
        ),
        ({"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1234"}}, "conditional"),
        ({"StringLike": {"aws:PrincipalTag/team": "ml*"}}, "conditional"),
    ],
)
def test_conditions_that_match_and_that_do_not(ada, condition, expected):
    # Given ada may watch training jobs under one condition
    ada(inline={"Watch": doc(allow("sagemaker:DescribeTrainingJob", resource="*", condition=condition))})
    # When checked
    jobs = statement(check(), "identity", "SagemakerJobs")
    describe_missing = "sagemaker:DescribeTrainingJob" in jobs["missing_actions"]
    # Then DescribeTrainingJob is allowed, not allowed, or depends on unknown context, as the condition says
    if expected == "ok":
        assert jobs["status"] == "partial" and not describe_missing
    elif expected == "missing":
        assert jobs["status"] == "missing" and describe_missing
    else:
        assert jobs["status"] == "partial" and not describe_missing  # conditional, not missing
        assert jobs["unknown_keys"] == [next(iter(next(iter(condition.values()))))]


def test_a_deny_outside_the_network_makes_allowed_requests_conditional(ada):
    # Given ada may do everything, except from outside the office network
    outside = {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    ada(inline={"All": EVERYTHING, "OfficeOnly": doc(deny("*", condition=outside, sid="OfficeOnly"))})
    # When checked
    report = check()
    # Then nothing is plainly ok: every statement depends on the source IP
    assert report.statuses()["identity"] == dict.fromkeys(IDENTITY_SIDS, "conditional")
    search = statement(report, "identity", "AllowSearch")
    assert search["unknown_keys"] == ["aws:SourceIp"]
    assert search["decided_by"] == [{"policy": "OfficeOnly", "source": "inline", "sid": "OfficeOnly", "effect": "Deny"}]
    assert not report.ok


def test_an_unconditional_allow_is_not_made_conditional_by_an_unrelated_conditional_one(ada):
    # Given two statements allow sagemaker:Search: one plainly, one only from the office
    office = {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    ada(inline={"Search": doc(allow("sagemaker:Search", sid="Plain"), allow("sagemaker:Search", condition=office))})
    # When checked
    search = statement(check(), "identity", "AllowSearch")
    # Then the plain allow decides: ok
    assert search["status"] == "ok"
    assert search["unknown_keys"] == []


def test_group_policies_count_and_are_named(ada, iam, managed):
    # Given ada is in a group with an inline and an attached policy
    iam.create_group(GroupName="scientists")
    iam.put_group_policy(GroupName="scientists", PolicyName="Find", PolicyDocument=doc(allow("sagemaker:Search")))
    iam.attach_group_policy(GroupName="scientists", PolicyArn=managed("Roles", doc(allow("iam:ListRoles"))))
    ada(groups=["scientists"])
    # When checked
    report = check()
    # Then both statements are ok, each decided by the group's policy
    assert statement(report, "identity", "AllowSearch")["decided_by"][0]["source"] == "group-inline"
    roles = statement(report, "identity", "IAMListRoles")
    assert (roles["status"], roles["decided_by"][0]["policy"], roles["decided_by"][0]["source"]) == (
        "ok",
        "Roles",
        "group-managed",
    )


def test_policies_that_cannot_be_read_make_the_result_unknown(ada, moto_auth):
    # Given ada may read her inline policies but not list her attached ones or her groups, and denies EventBridge
    reads = allow("sts:GetCallerIdentity", "iam:GetUser", "iam:ListUserPolicies", "iam:GetUserPolicy", "iam:ListRoles")
    ada(inline={"Reads": doc(reads), "Search": doc(allow("sagemaker:Search")), "NoEvents": doc(deny("events:*"))})
    moto_auth()
    # When checked
    report = check()
    # Then what a policy she could not read might change is unknown, naming the refused calls
    statuses = report.statuses()["identity"]
    search = statement(report, "identity", "AllowSearch")
    assert search["status"] == "unknown"
    assert "iam:ListAttachedUserPolicies" in search["detail"] and "iam:ListGroupsForUser" in search["detail"]
    # And an explicit deny that was read is still certain
    assert statuses.pop("EventBridgeSchedule") == "denied"
    assert set(statuses.values()) == {"unknown"}


def test_a_malformed_policy_allows_nothing_and_is_reported(ada):
    # Given a policy AWS would refuse (moto stored it) is the only one allowing iam:ListRoles
    bad = doc(allow("iam:ListRoles", condition={"IpAddress": {"aws:SourceIp": "not-an-ip"}}))
    ada(inline={"BadIp": bad, "Search": doc(allow("sagemaker:Search"))})
    # When checked
    report = check()
    # Then iam:ListRoles is not ok, the other policy still counts, and a note names the malformed policy
    assert statement(report, "identity", "IAMListRoles")["status"] == "missing"
    assert statement(report, "identity", "AllowSearch")["status"] == "ok"
    assert any("BadIp" in note and "not-an-ip" in note for note in report.notes)


def test_kms_key_access_is_checked_for_the_identity(ada):
    # Given ada may use one KMS key with the guide's actions
    kms = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"]
    ada(inline={"Key": doc(allow(*kms, resource=KEY))})
    # When checked with that key, and with another one
    given = check(kms_key_arn=KEY)
    other = check(kms_key_arn=OTHER_KEY)
    # Then the kms target (ada's) is ok for her key and missing for the other, with the key in its statement
    target = given.target("kms")
    assert target.principal_arn == f"arn:aws:iam::{ACCOUNT}:user/notebook-users/ada"
    assert given.statuses()["kms"] == {"KmsKeyAccess": "ok"}
    assert other.statuses()["kms"] == {"KmsKeyAccess": "missing"}
    assert statement(other, "kms", "KmsKeyAccess")["statement"]["Resource"] == OTHER_KEY
    assert any("key policy" in n for n in given.notes)
    # And without a key there is no kms target
    assert check().target("kms") is None


@pytest.mark.parametrize("bad", ["your_KMS_key_ARN", f"arn:aws:kms:us-east-1:{ACCOUNT}:key/*", "arn:aws:s3:::bucket"])
def test_a_malformed_kms_key_arn_is_an_input_error_before_any_call(aws_env, bad, counter):
    # Given a session whose AWS calls are counted
    sess = AwsSession()
    calls = counter(sess)
    # When checked with a malformed KMS key ARN
    with pytest.raises(InputError) as info:
        run_check(sess, kms_key_arn=bad)
    # Then it is a 400 naming the field, and AWS was never called
    assert (info.value.status, info.value.details["field"]) == (400, "kms_key_arn")
    assert calls.total == 0
