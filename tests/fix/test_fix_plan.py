"""make_plan: a pure preview (no write), statuses mapped to writes or reasons, sizes against the live
quotas, the managed-policy fallback, and principals that are never written."""

from __future__ import annotations

import copy

import pytest

from jupyter_nbjob_iam.aws import writes as aws_writes
from jupyter_nbjob_iam.catalog import guide_policy
from jupyter_nbjob_iam.errors import InputError
from jupyter_nbjob_iam.fix import aggregate_size, apply_plan, make_plan

from .fixhelp import ACCOUNT, REGION, TRUST_SAGEMAKER, allow, doc, padding_policy, record_iam, report, text

USER_ARN = f"arn:aws:iam::{ACCOUNT}:user/ada"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/service-role/SagemakerJupyterSchedulerRole"
ALL_MISSING = {
    "identity": {"EventBridgeSchedule": "missing", "IAMPassrole": "partial", "AllowSearch": "missing"},
    "trust": {"TrustRelationship": "missing"},
    "role": {"SagemakerJobs": "missing"},
}


def test_plan_reads_only_and_shows_every_write_with_before_after_and_size(user, role, session, store):
    # Given a user and an execution role lacking some of the guide's statements
    user()
    role()
    sess = session()
    calls = record_iam(sess)
    # When the fix is planned
    plan = make_plan(sess, report(identity_arn=USER_ARN, role_arn=ROLE_ARN, statuses=ALL_MISSING), store=store)
    # Then no write was made, and the plan lists the three writes with their documents and sizes
    assert calls.writes == {}
    assert "GetAccountSummary" in calls.calls
    assert [w["api_call"] for w in plan["writes"]] == [
        "iam:PutUserPolicy",
        "iam:PutRolePolicy",
        "iam:UpdateAssumeRolePolicy",
    ]
    user_write, role_write, trust_write = plan["writes"]
    assert user_write["adds_sids"] == ["EventBridgeSchedule", "IAMPassrole", "AllowSearch"]
    assert user_write["before"] is None
    assert [s["Sid"] for s in user_write["after"]["Statement"]] == user_write["adds_sids"]
    assert user_write["size"]["quota"] == 2048 and user_write["size"]["quota_key"] == "UserPolicySizeQuota"
    assert role_write["principal"] == {"type": "role", "name": "SagemakerJupyterSchedulerRole", "arn": ROLE_ARN}
    assert role_write["size"]["quota_key"] == "RolePolicySizeQuota"
    assert trust_write["before"] == TRUST_SAGEMAKER and trust_write["adds_services"] == ["events.amazonaws.com"]
    assert len(plan["plan_id"]) == 64 and plan["nothing_to_do"] is False
    # And the plan is stored, with the hand-off an administrator would need
    assert store.load_plan(plan["plan_id"]) == plan
    assert "aws iam put-user-policy --user-name ada" in plan["handoff"]["cli_commands"]


def test_plan_id_is_bound_to_the_live_documents(user, role, session, store, iam):
    # Given one report and an account in a fixed state
    user()
    role()
    rep = report(identity_arn=USER_ARN, role_arn=ROLE_ARN, statuses=ALL_MISSING)
    first = make_plan(session(), rep, store=store)["plan_id"]
    # When nothing changes, the same id comes back; when any document the plan read changes, not
    assert make_plan(session(), rep, store=store)["plan_id"] == first
    iam.put_user_policy(UserName="ada", PolicyName="Unrelated", PolicyDocument=text(doc(allow("s3:GetObject"))))
    assert make_plan(session(), rep, store=store)["plan_id"] != first


def test_each_status_is_added_or_skipped_with_a_reason(user, session, store):
    # Given a report with every status
    user()
    rep = report(
        identity_arn=USER_ARN,
        statuses={
            "identity": {
                "EventBridgeSchedule": "denied",
                "IAMPassrole": "missing",
                "S3ArtifactsAccess": "partial",
                "SagemakerTags": "conditional",
                "ECRImage": "unknown",
            }
        },
        decided_by={
            "EventBridgeSchedule": [{"policy": "NoEvents", "source": "boundary", "sid": None, "effect": "Deny"}]
        },
    )
    # When the fix is planned
    plan = make_plan(session(), rep, store=store)
    # Then only missing and partial statements are added, whole, scoped to what the check verified
    (write,) = plan["writes"]
    assert write["adds_sids"] == ["IAMPassrole", "S3ArtifactsAccess"]
    guide = {s["Sid"]: s for s in guide_policy("identity")["Statement"]}
    bucket = f"arn:aws:s3:::sagemaker-automated-execution-{ACCOUNT}-{REGION}"
    assert write["after"]["Statement"] == [
        {
            **guide["IAMPassrole"],
            "Resource": f"arn:aws:iam::{ACCOUNT}:role/SagemakerJupyterScheduler",
            "Condition": {"StringEquals": {"iam:PassedToService": ["sagemaker.amazonaws.com", "events.amazonaws.com"]}},
        },
        {**guide["S3ArtifactsAccess"], "Resource": [bucket, f"{bucket}/*"]},
    ]
    # And the others say why, in plain words; the deny names the policy and goes to the hand-off
    reasons = {s["sid"]: s for s in plan["skipped"]}
    assert set(reasons) == {"EventBridgeSchedule", "SagemakerTags", "ECRImage"}
    assert "NoEvents (boundary)" in reasons["EventBridgeSchedule"]["reason"]
    assert "cannot override" in reasons["EventBridgeSchedule"]["reason"]
    assert "aws:SourceIp" in reasons["SagemakerTags"]["reason"]
    assert any("EventBridgeSchedule" in n for n in plan["handoff"]["notes"])


@pytest.mark.parametrize(
    ("kind", "identity_arn", "expected"),
    [
        (
            "sso-role",
            f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_DataScience_0123abcd4567ef89",
            "IAM Identity Center",
        ),
        # an SSO path is enough, whatever the report calls it
        (
            "assumed-role",
            f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/Custom",
            "Identity Center",
        ),
        ("assumed-role", f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/other.amazonaws.com/Custom", "aws-reserved"),
        ("root", f"arn:aws:iam::{ACCOUNT}:root", "root"),
        ("federated-user", f"arn:aws:sts::{ACCOUNT}:federated-user/bob", "session policy"),
    ],
)
def test_identities_that_cannot_be_written_are_blocked_with_what_to_do(
    kind, identity_arn, expected, aws_env, session, store
):
    # Given a report for an identity IAM does not let anyone write to
    rep = report(identity_arn=identity_arn, kind=kind, statuses={"identity": {"AllowSearch": "missing"}})
    sess = session()
    calls = record_iam(sess)
    # When the fix is planned
    plan = make_plan(sess, rep, store=store)
    # Then nothing is planned for it (nothing even read), and the plan says why and what instead
    assert plan["writes"] == [] and calls.calls.keys() <= {"GetAccountSummary"}
    (blocked,) = plan["blocked"]
    assert blocked["target"] == "identity" and expected in blocked["reason"]
    assert blocked["sids"] == ["AllowSearch"]


def test_an_sso_identity_gets_the_permission_set_route(aws_env, session, store):
    arn = f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_DataScience_0123abcd4567ef89"
    rep = report(identity_arn=arn, kind="sso-role", statuses={"identity": {"IAMPassrole": "missing"}})
    plan = make_plan(session(), rep, store=store)
    sso = plan["handoff"]["sso"]
    assert sso["permission_set_name"] == "DataScience"
    assert "aws sso-admin put-inline-policy-to-permission-set" in sso["cli_commands"]
    assert '"Sid": "IAMPassrole"' in sso["cli_commands"]
    assert "provision-permission-set" in sso["cli_commands"] and ACCOUNT in sso["cli_commands"]


def test_a_service_linked_execution_role_is_never_planned(user, session, store):
    user()
    rep = report(
        identity_arn=USER_ARN,
        role_arn=f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/sagemaker.amazonaws.com/AWSServiceRoleForSageMaker",
        statuses={"trust": {"TrustRelationship": "missing"}, "role": {"SagemakerJobs": "missing"}},
    )
    plan = make_plan(session(), rep, store=store)
    assert plan["writes"] == []
    assert {b["target"] for b in plan["blocked"]} == {"trust", "role"}
    assert all("service-linked" in b["reason"] for b in plan["blocked"])


def test_a_user_near_the_inline_budget_gets_a_managed_policy(user, session, store, iam):
    # Given a user whose inline policies already take 1,900 of the 2,048 characters
    user(inline={"Existing": padding_policy(1900)})
    sizes = aws_writes.read_inline_policies(session(), "user", "ada")
    assert 1800 < aggregate_size(sizes.values()) <= 1900
    rep = report(identity_arn=USER_ARN, statuses={"identity": {"AllowSearch": "missing", "IAMListRoles": "missing"}})
    # When the fix is planned and applied
    plan = make_plan(session(), rep, store=store)
    # Then the statements go to a customer managed policy, created and attached
    assert [w["api_call"] for w in plan["writes"]] == ["iam:CreatePolicy", "iam:AttachUserPolicy"]
    create = plan["writes"][0]
    assert (
        create["policy_name"] == "SageMakerNotebookJobs-user-ada" and create["size"]["quota_key"] == "PolicySizeQuota"
    )
    assert "past IAM's 2,048" in create["summary"]
    result = apply_plan(session(), plan["plan_id"], store=store, verify=False)
    assert result["status"] == "applied"
    # And the inline policies are exactly what they were: the total stays within budget
    after = aws_writes.read_inline_policies(session(), "user", "ada")
    assert after == sizes
    attached = aws_writes.list_attached_policy_arns(session(), "user", "ada")
    assert attached == [create["policy_arn"]]


def test_at_the_version_limit_the_oldest_non_default_version_of_the_tools_own_policy_goes(user, session, store, iam):
    # Given the tool's own managed policy for ada, attached, with 5 versions (v5 default)
    user(inline={"Big": padding_policy(2000)})
    sess = session()
    arn = aws_writes.create_managed_policy(
        sess, "SageMakerNotebookJobs-user-ada", doc(allow("sagemaker:Search", sid="AllowSearch"))
    )
    for i in range(4):
        aws_writes.create_policy_version(
            sess, arn, doc(allow("sagemaker:Search", sid="AllowSearch"), allow(f"s3:X{i}"))
        )
    iam.attach_user_policy(UserName="ada", PolicyArn=arn)
    rep = report(identity_arn=USER_ARN, statuses={"identity": {"IAMListRoles": "missing"}})
    # When the fix is planned and applied
    plan = make_plan(session(), rep, store=store)
    assert [w["api_call"] for w in plan["writes"]] == ["iam:DeletePolicyVersion", "iam:CreatePolicyVersion"]
    assert plan["writes"][0]["version_id"] == "v1"
    assert apply_plan(session(), plan["plan_id"], store=store, verify=False)["status"] == "applied"
    # Then v1 is gone, still 5 versions, and the new default keeps v5's statements plus the new one
    versions = aws_writes.list_policy_versions(session(), arn)
    assert [v["version_id"] for v in versions] == ["v2", "v3", "v4", "v5", "v6"]
    default = aws_writes.get_policy_version_document(session(), arn, "v6")
    assert [s.get("Sid") for s in default["Statement"]] == ["AllowSearch", None, "IAMListRoles"]


def test_a_managed_policy_of_that_name_the_tool_did_not_create_is_left_alone(user, session, store, iam):
    user(inline={"Big": padding_policy(2000)})
    iam.create_policy(PolicyName="SageMakerNotebookJobs-user-ada", PolicyDocument=text(doc(allow("s3:GetObject"))))
    plan = make_plan(
        session(), report(identity_arn=USER_ARN, statuses={"identity": {"IAMListRoles": "missing"}}), store=store
    )
    assert plan["writes"] == []
    (skipped,) = plan["skipped"]
    assert "this tool did not create" in skipped["reason"]


def test_no_managed_policy_when_the_attachment_quota_is_full(user, session, store, iam):
    user(inline={"Big": padding_policy(2000)})
    for i in range(10):
        arn = iam.create_policy(PolicyName=f"P{i}", PolicyDocument=text(doc(allow(f"s3:Get{i}"))))["Policy"]["Arn"]
        iam.attach_user_policy(UserName="ada", PolicyArn=arn)
    plan = make_plan(
        session(), report(identity_arn=USER_ARN, statuses={"identity": {"IAMListRoles": "missing"}}), store=store
    )
    assert plan["writes"] == []
    assert "limit of 10" in plan["skipped"][0]["reason"]


def test_a_trust_policy_past_its_quota_is_not_written(user, role, session, store):
    user()
    big = copy.deepcopy(TRUST_SAGEMAKER)
    big["Statement"] += [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/r{i:03d}"}, "Action": "sts:AssumeRole"}
        for i in range(28)
    ]
    role(trust=big)
    plan = make_plan(
        session(),
        report(identity_arn=USER_ARN, role_arn=ROLE_ARN, statuses={"trust": {"TrustRelationship": "missing"}}),
        store=store,
    )
    assert plan["writes"] == []
    assert "past IAM's 2,048" in plan["skipped"][0]["reason"]


@pytest.mark.parametrize("name", ["", "has space", "slash/inside", "x" * 129, "star*"])
def test_a_bad_policy_name_is_a_400(name, aws_env, session, store):
    with pytest.raises(InputError) as err:
        make_plan(session(), report(identity_arn=USER_ARN), policy_name=name, store=store)
    assert err.value.status == 400 and err.value.details["field"] == "policy_name"


def test_a_principal_whose_policies_cannot_be_read_is_handed_off_not_merged_blind(user, session, store, moto_auth):
    # Given a user who may not list her own policies (moto's request authorization on)
    user(inline={"Minimal": doc(allow("sts:GetCallerIdentity", "iam:GetAccountSummary"))})
    moto_auth()
    rep = report(identity_arn=USER_ARN, statuses={"identity": {"AllowSearch": "missing"}})
    # When the fix is planned
    plan = make_plan(session(), rep, store=store)
    # Then nothing is planned for her: the plan says why, and the hand-off carries the statement
    assert plan["writes"] == []
    (blocked,) = plan["blocked"]
    assert "could not be read" in blocked["reason"] and "iam:ListUserPolicies" in blocked["reason"]
    assert blocked["statements"][0]["Sid"] == "AllowSearch"
    assert "aws iam put-user-policy --user-name ada" in plan["handoff"]["cli_commands"]


# -- the tool's managed policy names ------------------------------------------------------------------


def test_a_user_and_a_role_of_the_same_name_get_managed_policies_of_their_own():
    from jupyter_nbjob_iam.fix import compute_writes

    # Given a user ada and an execution role ada, both past their inline budget
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/ada"
    rep = report(identity_arn=USER_ARN, role_arn=role_arn, statuses=ALL_MISSING)
    quotas = {"UserPolicySizeQuota": 10, "RolePolicySizeQuota": 10}
    # When the fix is planned
    writes, _, _ = compute_writes(rep, {}, {"versions": {}}, quotas, legacy_needed=True)
    # Then each gets a managed policy named after its type, never one shared by both
    created = {w["principal"]["type"]: w for w in writes if w["api_call"] == "iam:CreatePolicy"}
    assert created["user"]["policy_name"] == "SageMakerNotebookJobs-user-ada"
    assert created["role"]["policy_name"] == "SageMakerNotebookJobs-role-ada"
    assert created["user"]["policy_arn"] != created["role"]["policy_arn"]


def test_long_managed_policy_names_stay_within_128_and_apart():
    from jupyter_nbjob_iam.fix.planner import managed_policy_name

    # Given two long role names that share their first 128 characters
    a, b = "r" * 130 + "a", "r" * 130 + "b"
    # Then their policy names are valid IAM names of at most 128 characters, and differ
    names = [managed_policy_name("SageMakerNotebookJobs", "role", n) for n in (a, b)]
    assert all(len(n) == 128 and n.startswith("SageMakerNotebookJobs-role-rrr") for n in names)
    assert names[0] != names[1]


def test_a_statement_already_in_the_inline_policy_is_not_also_written_to_the_managed_one():
    from jupyter_nbjob_iam.catalog import required_statements
    from jupyter_nbjob_iam.fix import compute_writes
    from jupyter_nbjob_iam.fix.state import inline_key

    # Given ada's tool policy already holding the guide's AllowSearch, and no room for more inline
    guide = {s.sid: s.statement for s in required_statements("identity")}
    state = {inline_key("user", "ada", "SageMakerNotebookJobs"): doc(guide["AllowSearch"]), "attached:user:ada": []}
    rep = report(identity_arn=USER_ARN, statuses={"identity": {"AllowSearch": "missing", "IAMListRoles": "missing"}})
    # When the fix is planned (the inline budget overflows: the managed policy is used)
    writes, skipped, _ = compute_writes(rep, state, {"versions": {}}, {"UserPolicySizeQuota": 10}, legacy_needed=True)
    # Then AllowSearch is only reported as already there, and the managed policy gets IAMListRoles alone
    (create,) = [w for w in writes if w["api_call"] == "iam:CreatePolicy"]
    assert create["adds_sids"] == ["IAMListRoles"] and create["adds_targets"] == ["identity"]
    assert [s.get("Sid") for s in create["after"]["Statement"]] == ["IAMListRoles"]
    assert [(s["sid"], "already in SageMakerNotebookJobs" in s["reason"]) for s in skipped] == [("AllowSearch", True)]


# -- reads refused while planning ---------------------------------------------------------------------


def test_a_trust_policy_that_cannot_be_read_is_handed_off_not_a_502(user, role, session, store, moto_auth):
    # Given a user who may read everything but the role (iam:GetRole refused)
    user(
        inline={
            "Reads": doc(
                allow("iam:*", "sts:GetCallerIdentity"), {"Effect": "Deny", "Action": "iam:GetRole", "Resource": "*"}
            )
        }
    )
    role()
    moto_auth()
    # When the fix is planned
    plan = make_plan(session(), report(identity_arn=USER_ARN, role_arn=ROLE_ARN, statuses=ALL_MISSING), store=store)
    # Then the policies are still planned, and the trust change is handed off saying what was refused
    assert [w["api_call"] for w in plan["writes"]] == ["iam:PutUserPolicy", "iam:PutRolePolicy"]
    (blocked,) = plan["blocked"]
    assert blocked["target"] == "trust" and "iam:GetRole" in blocked["reason"]
    assert blocked["services"] == ["events.amazonaws.com"]
    assert plan["reads"]["spec"]["trust_roles"] == []


def test_an_unreadable_oldest_version_is_not_deleted_to_make_room(user, session, store, iam, monkeypatch):
    from jupyter_nbjob_iam.errors import AccessDeniedError

    # Given the tool's own managed policy at the version limit, whose oldest version cannot be read
    user(inline={"Big": padding_policy(2000)})
    sess = session()
    arn = aws_writes.create_managed_policy(sess, "SageMakerNotebookJobs-user-ada", doc(allow("s3:X", sid="A")))
    for i in range(4):
        aws_writes.create_policy_version(sess, arn, doc(allow("s3:X", sid="A"), allow(f"s3:X{i}")))
    iam.attach_user_policy(UserName="ada", PolicyArn=arn)
    real = aws_writes.get_policy_version_document

    def refuse_v1(s, policy_arn, version_id):
        if version_id == "v1":
            raise AccessDeniedError("refused", details={"aws_action": "iam:GetPolicyVersion"})
        return real(s, policy_arn, version_id)

    monkeypatch.setattr(aws_writes, "get_policy_version_document", refuse_v1)
    # When the fix is planned
    rep = report(identity_arn=USER_ARN, statuses={"identity": {"IAMListRoles": "missing"}})
    plan = make_plan(session(), rep, store=store)
    # Then nothing is deleted blind: the statement is handed off with the reason
    assert plan["writes"] == []
    (skip,) = plan["skipped"]
    assert skip["sid"] == "IAMListRoles" and "oldest version could not be read" in skip["reason"]
