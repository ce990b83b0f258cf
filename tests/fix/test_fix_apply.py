"""apply / verify / undo end to end through the real check, against moto over HTTP."""

from __future__ import annotations

import copy
import json
import os
import stat
import threading
import time

import boto3
import pytest
from botocore.exceptions import ClientError

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.aws import writes as aws_writes
from jupyter_nbjob_iam.aws.faults import inject_aws_fault
from jupyter_nbjob_iam.catalog.statements import EXAMPLE_KMS_KEY_ARN
from jupyter_nbjob_iam.check import run_check
from jupyter_nbjob_iam.errors import ConflictError, NbJobIamError
from jupyter_nbjob_iam.fix import aggregate_size, apply_plan, make_plan, undo
from jupyter_nbjob_iam.fix.principals import assert_writable
from jupyter_nbjob_iam.sandbox import seed

from .fixhelp import ACCOUNT, TRUST_SAGEMAKER, allow, doc, not_ok, padding_policy, record_iam, text

ROLE = "SagemakerJupyterSchedulerRole"


def check(sess: AwsSession, role: str | None = ROLE, kms: str | None = None) -> dict:
    return run_check(sess, role=role, kms_key_arn=kms, engine="local").to_json()


def checker(role: str | None = ROLE, kms: str | None = None):
    return lambda sess: check(sess, role, kms)


def plan_for(session, store, role: str | None = ROLE, kms: str | None = None) -> dict:
    sess = session()
    return make_plan(sess, check(sess, role, kms), store=store)


def fix(session, store, role: str | None = ROLE, kms: str | None = None) -> tuple[dict, dict]:
    plan = plan_for(session, store, role, kms)
    result = apply_plan(session(), plan["plan_id"], store=store, verify_timeout=0.5, check_fn=checker(role, kms))
    return plan, result


# -- every scenario ends all-ok, and a second fix writes nothing ------------------------------------


def _bare(user, role, iam):
    user()
    role()


def _assumed_role(user, role, iam, use_keys):
    # the caller is a session of a role of its own: the fix goes to that role
    role()
    trust = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"})
    arn = iam.create_role(RoleName="NotebookUser", Path="/people/", AssumeRolePolicyDocument=text(trust))["Role"]["Arn"]
    creds = boto3.client("sts").assume_role(RoleArn=arn, RoleSessionName="ada")["Credentials"]
    use_keys(creds)


def _older_own_policy(user, role, iam):
    # the tool's policy holds an older, narrower EventBridgeSchedule and a statement of someone's
    older = {"Sid": "EventBridgeSchedule", "Effect": "Allow", "Action": "events:PutRule", "Resource": "*"}
    user(inline={"SageMakerNotebookJobs": doc(older, allow("s3:GetObject", sid="Mine"))})
    role(inline={"Existing": doc(allow("logs:PutLogEvents"))})


def _mixed_trust(user, role, iam):
    # SageMaker is trusted in a statement that also names an account: it is left as it is
    user()
    role(
        trust=doc(
            {
                "Effect": "Allow",
                "Principal": {"Service": "sagemaker.amazonaws.com", "AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "sts:AssumeRole",
            }
        )
    )


SCENARIOS = {
    "bare user and role": _bare,
    "assumed role": _assumed_role,
    "older own policy": _older_own_policy,
    "mixed trust": _mixed_trust,
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_is_all_ok_after_the_fix_and_a_second_fix_writes_nothing(
    scenario, user, role, iam, use_keys, session, store
):
    # Given an account with gaps
    setup = SCENARIOS[scenario]
    setup(user, role, iam, use_keys) if scenario == "assumed role" else setup(user, role, iam)
    assert not_ok(check(session()))
    # When the fix is planned and applied
    plan, result = fix(session, store)
    # Then every write landed, the re-check verified it, and nothing counted is missing any more
    assert result["status"] == "applied", result
    assert result["verified"] is True and result["verify_attempts"] == 1
    assert not_ok(check(session())) == {}
    # And a second fix has nothing to write, and writes nothing
    sess = session()
    calls = record_iam(sess)
    again = make_plan(sess, check(sess), store=store)
    assert again["nothing_to_do"] is True and again["writes"] == []
    assert calls.writes == {}


def test_an_older_statement_of_the_same_sid_is_kept_beside_the_guides(user, role, iam, session, store):
    _older_own_policy(user, role, iam)
    fix(session, store)
    policy = aws_writes.get_inline_policy(session(), "user", "ada", "SageMakerNotebookJobs")
    sids = [s.get("Sid") for s in policy["Statement"]]
    assert sids[:2] == ["EventBridgeSchedule", "Mine"] and "EventBridgeSchedule2" in sids
    assert policy["Statement"][0] == {
        "Sid": "EventBridgeSchedule",
        "Effect": "Allow",
        "Action": "events:PutRule",
        "Resource": "*",
    }


def test_the_kms_statement_goes_to_the_identity(user, role, session, store):
    user()
    role()
    plan, result = fix(session, store, kms=EXAMPLE_KMS_KEY_ARN)
    assert result["status"] == "applied" and result["verified"]
    assert "KmsKeyAccess" in plan["writes"][0]["adds_sids"] and plan["writes"][0]["principal"]["type"] == "user"
    assert "kms/KmsKeyAccess" not in not_ok(check(session(), kms=EXAMPLE_KMS_KEY_ARN))


def test_a_conditioned_trust_for_sagemaker_is_not_weakened(user, role, session, store):
    # Given a trust policy that lets SageMaker in only for this account (confused-deputy protection)
    user()
    conditioned = {
        "Effect": "Allow",
        "Principal": {"Service": "sagemaker.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
    }
    role(trust=doc(conditioned))
    # When the fix runs
    plan, result = fix(session, store)
    # Then only EventBridge is added; the condition stays, and the check calls it conditional, honestly
    trust_write = next(w for w in plan["writes"] if w["api_call"] == "iam:UpdateAssumeRolePolicy")
    assert trust_write["adds_services"] == ["events.amazonaws.com"]
    assert aws_writes.get_trust_policy(session(), ROLE)["Statement"][0] == conditioned
    assert not_ok(check(session())) == {"trust/TrustRelationship": "conditional"}


def test_when_the_caller_is_the_execution_role_both_policies_go_to_that_role(iam, use_keys, session, store):
    # Given a person working as a session of the execution role itself
    trust = doc(
        *TRUST_SAGEMAKER["Statement"],
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"},
    )
    arn = iam.create_role(RoleName=ROLE, Path="/service-role/", AssumeRolePolicyDocument=text(trust))["Role"]["Arn"]
    use_keys(boto3.client("sts").assume_role(RoleArn=arn, RoleSessionName="ada")["Credentials"])
    # When the fix runs
    plan, result = fix(session, store)
    # Then one inline policy on the role carries both guides' statements (SagemakerJobs twice, one suffixed)
    assert result["status"] == "applied" and result["verified"], result.get("still_missing")
    role_write = plan["writes"][0]
    assert role_write["api_call"] == "iam:PutRolePolicy"
    assert ("identity", "SagemakerJobs") in zip(role_write["adds_targets"], role_write["adds_sids"], strict=True)
    assert ("role", "SagemakerJobs") in zip(role_write["adds_targets"], role_write["adds_sids"], strict=True)
    assert not_ok(check(session())) == {}


def test_the_sandbox_demo_is_all_ok_after_the_fix(aws_env, use_keys, session, store):
    # Given the sandbox's seeded account, signed in as ada
    account = seed(aws_env)
    use_keys({"AccessKeyId": account.access_key_id, "SecretAccessKey": account.secret_access_key})
    before = not_ok(check(session()))
    assert before["identity/EventBridgeSchedule"] == "missing" and before["trust/TrustRelationship"] == "missing"
    # When the fix runs
    plan, result = fix(session, store)
    # Then every gap is closed (only the legacy statements, which this scheduler does not use, are skipped)
    assert result["status"] == "applied" and result["verified"]
    after = check(session())
    assert not_ok(after) == {} and after["ok"] is True
    assert {s["sid"] for s in plan["skipped"]} == {"S3DriverAccess"}
    # ada's inline policies were near the 2,048 budget: her statements went to a managed policy
    assert [w["api_call"] for w in plan["writes"]][:2] == ["iam:CreatePolicy", "iam:AttachUserPolicy"]
    assert aggregate_size(aws_writes.read_inline_policies(session(), "user", "ada").values()) <= 2048


# -- conflicts, faults, resume ------------------------------------------------------------------------


def test_a_plan_edited_after_the_preview_is_never_applied(user, role, iam, session, store):
    # Given a plan the person saw
    _bare(user, role, iam)
    plan = plan_for(session, store)
    # When its stored file is changed afterwards (here: a wider statement slipped into a write)
    stored = store.load_plan(plan["plan_id"])
    stored["writes"][0]["after"]["Statement"].append({"Effect": "Allow", "Action": "*", "Resource": "*"})
    store.save_plan(stored)
    sess = session()
    calls = record_iam(sess)
    # Then apply refuses it as a conflict, and writes nothing
    with pytest.raises(ConflictError) as err:
        apply_plan(sess, plan["plan_id"], store=store, verify=False)
    assert err.value.error_code == "plan_conflict" and "changed after the preview" in err.value.message
    assert calls.writes == {}


def test_a_document_changed_between_plan_and_apply_is_a_conflict_and_nothing_is_written(
    user, role, iam, session, store
):
    # Given a plan
    _bare(user, role, iam)
    plan = plan_for(session, store)
    # When someone changes the role's trust policy before the apply
    account = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
    iam.update_assume_role_policy(RoleName=ROLE, PolicyDocument=text(doc(*TRUST_SAGEMAKER["Statement"], account)))
    sess = session()
    calls = record_iam(sess)
    with pytest.raises(ConflictError) as err:
        apply_plan(sess, plan["plan_id"], store=store, verify=False)
    # Then the apply is refused with plan_conflict (409), naming what changed, and nothing was written
    assert err.value.status == 409 and err.value.error_code == "plan_conflict"
    assert err.value.details["changed"] == [f"trust:{ROLE}"]
    assert calls.writes == {}
    assert aws_writes.list_inline_policy_names(session(), "user", "ada") == []


def test_a_write_failing_half_way_says_what_landed_and_a_rerun_resumes(user, role, iam, session, store):
    # Given a plan of three writes, and AWS failing the second one (PutRolePolicy)
    _bare(user, role, iam)
    plan = plan_for(session, store)
    assert [w["api_call"] for w in plan["writes"]] == [
        "iam:PutUserPolicy",
        "iam:PutRolePolicy",
        "iam:UpdateAssumeRolePolicy",
    ]
    faulty = session()
    inject_aws_fault(faulty, "iam:PutRolePolicy", "ServiceFailure", "The service is unavailable.")
    # When the plan is applied
    result = apply_plan(faulty, plan["plan_id"], store=store, check_fn=checker())
    # Then the result names exactly what landed, what failed and what was not tried, with the hand-off
    assert result["status"] == "partial"
    assert [a["write_id"] for a in result["applied"]] == ["w1"]
    assert [(f["write_id"], f["error"]["details"]["aws_error_code"]) for f in result["failed"]] == [
        ("w2", "ServiceFailure")
    ]
    assert [n["write_id"] for n in result["not_attempted"]] == ["w3"]
    assert "put-role-policy" in result["handoff"]["cli_commands"]
    assert "put-user-policy" not in result["handoff"]["cli_commands"]
    # And that is the truth in IAM
    assert aws_writes.list_inline_policy_names(session(), "user", "ada") == ["SageMakerNotebookJobs"]
    assert aws_writes.list_inline_policy_names(session(), "role", ROLE) == []
    # When the same plan is applied again with AWS healthy
    resumed = apply_plan(session(), plan["plan_id"], store=store, check_fn=checker())
    # Then it skips what landed, finishes the rest, in the same backup, and all is ok
    assert resumed["status"] == "applied" and resumed["backup_id"] == result["backup_id"]
    assert [(a["write_id"], a.get("resumed", False)) for a in resumed["applied"]] == [
        ("w1", True),
        ("w2", False),
        ("w3", False),
    ]
    assert not_ok(check(session())) == {}
    # And a third apply of the completed plan is refused: it writes nothing twice
    with pytest.raises(ConflictError):
        apply_plan(session(), plan["plan_id"], store=store, verify=False)


def test_a_write_whose_answer_was_lost_is_reported_as_landed(user, role, iam, session, store):
    # Given AWS applying PutUserPolicy but the answer never arriving (a reset connection)
    _bare(user, role, iam)
    plan = plan_for(session, store)
    sess = session()

    def lose_answer(**_):
        raise ClientError({"Error": {"Code": "RequestTimeout", "Message": "connection reset"}}, "PutUserPolicy")

    sess.client("iam").meta.events.register("after-call.iam.PutUserPolicy", lose_answer)
    # When the plan is applied
    result = apply_plan(sess, plan["plan_id"], store=store, check_fn=checker())
    # Then the write counts as landed (the live policy shows it) and the rest goes on
    assert result["status"] == "applied" and [a["write_id"] for a in result["applied"]] == ["w1", "w2", "w3"]


def test_a_landed_write_changed_by_someone_before_the_resume_is_a_conflict(user, role, iam, session, store):
    _bare(user, role, iam)
    plan = plan_for(session, store)
    faulty = session()
    inject_aws_fault(faulty, "iam:PutRolePolicy", "ServiceFailure")
    apply_plan(faulty, plan["plan_id"], store=store, verify=False)
    iam.put_user_policy(UserName="ada", PolicyName="SageMakerNotebookJobs", PolicyDocument=text(doc(allow("a:B"))))
    with pytest.raises(ConflictError) as err:
        apply_plan(session(), plan["plan_id"], store=store, verify=False)
    assert err.value.details["changed"] == ["inline:user:ada:SageMakerNotebookJobs"]


def test_concurrent_modification_is_retried(user, role, iam, session, store):
    _bare(user, role, iam)
    plan = plan_for(session, store)
    sess = session()
    failures = []

    def once(**_):
        if not failures:
            failures.append(1)
            raise ClientError({"Error": {"Code": "ConcurrentModification", "Message": "busy"}}, "PutUserPolicy")

    sess.client("iam").meta.events.register("before-call.iam.PutUserPolicy", once)
    result = apply_plan(sess, plan["plan_id"], store=store, verify=False)
    assert failures == [1] and result["status"] == "applied"


def test_two_applies_of_one_plan_at_once_exactly_one_succeeds(user, role, iam, session, store):
    # Given one plan and two sessions whose writes are slow
    _bare(user, role, iam)
    plan = plan_for(session, store)
    sessions = [session(), session()]
    for sess in sessions:
        sess.client("iam").meta.events.register("before-call.iam.PutUserPolicy", lambda **_: time.sleep(0.4))
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def run(i):
        barrier.wait()
        try:
            outcomes[i] = apply_plan(sessions[i], plan["plan_id"], store=store, verify=False)
        except ConflictError as exc:
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    # When both ran at the same time: one applied the plan, the other got plan_conflict
    applied = [o for o in outcomes if isinstance(o, dict) and o["status"] == "applied"]
    conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(applied) == 1 and len(conflicts) == 1
    assert conflicts[0].error_code == "plan_conflict"


# -- who may be written ------------------------------------------------------------------------------


def test_without_put_user_policy_the_person_gets_the_hand_off_not_a_traceback(user, session, store, moto_auth):
    # Given a user who may read IAM but not write her own policies, under moto's request authorization
    reads = doc(allow("iam:Get*", "iam:List*", "sts:GetCallerIdentity", "iam:SimulatePrincipalPolicy"))
    user(inline={"ReadOnly": reads})
    moto_auth()
    # When she runs the fix
    plan = plan_for(session, store, role=None)
    result = apply_plan(session(), plan["plan_id"], store=store, check_fn=checker(role=None))
    # Then the write is refused cleanly: the result says so, with the hand-off for an administrator
    assert result["status"] == "failed" and result["applied"] == []
    (failed,) = result["failed"]
    assert failed["api_call"] == "iam:PutUserPolicy"
    assert failed["error"]["error_code"] == "access_denied"
    handoff = result["handoff"]
    assert "aws iam put-user-policy --user-name ada --policy-name SageMakerNotebookJobs" in handoff["cli_commands"]
    assert handoff["documents"][0]["document"] == plan["writes"][0]["after"]


def test_an_sso_role_is_never_written(iam, role, use_keys, session, store):
    # Given a person signed in through IAM Identity Center (a session of an AWSReservedSSO_ role)
    role()
    sso_name = "AWSReservedSSO_DataScience_0123abcd4567ef89"
    trust = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"})
    sso = iam.create_role(
        RoleName=sso_name, Path="/aws-reserved/sso.amazonaws.com/", AssumeRolePolicyDocument=text(trust)
    )["Role"]
    use_keys(boto3.client("sts").assume_role(RoleArn=sso["Arn"], RoleSessionName="ada")["Credentials"])
    sess = session()
    params: list = []
    sess.client("iam").meta.events.register(
        "before-parameter-build.iam", lambda model, params_=None, **kw: params.append((model.name, kw.get("params")))
    )
    # When the fix is planned and applied
    plan = make_plan(sess, check(sess), store=store)
    result = apply_plan(sess, plan["plan_id"], store=store, check_fn=checker())
    # Then the execution role was fixed, the SSO role never written, and the plan says what to do instead
    assert result["status"] == "applied"
    writes = [(name, p) for name, p in params if name.startswith(("Put", "Update", "Attach", "Create", "Delete"))]
    assert writes and all(sso_name not in json.dumps(p) for _, p in writes)
    assert any(b["target"] == "identity" and b["permission_set"] == "DataScience" for b in plan["blocked"])
    assert "put-inline-policy-to-permission-set" in plan["handoff"]["sso"]["cli_commands"]


def test_a_plan_whose_account_was_edited_is_never_applied(user, role, iam, session, store):
    # Given a stored plan whose account was changed after the preview (to pass the account guard)
    _bare(user, role, iam)
    plan = plan_for(session, store)
    stored = store.load_plan(plan["plan_id"])
    stored["account"] = "210987654321"
    store.save_plan(stored)
    sess = session()
    calls = record_iam(sess)
    # Then apply refuses it whole
    with pytest.raises(ConflictError):
        apply_plan(sess, plan["plan_id"], store=store, verify=False)
    assert calls.writes == {}


def test_a_tampered_plan_targeting_an_sso_role_is_refused_before_any_call(role, iam, user, session, store):
    # Given a stored plan edited to write to an SSO role
    _bare(user, role, iam)
    plan = plan_for(session, store)
    forged = copy.deepcopy(plan)
    forged["writes"][1]["principal"]["arn"] = (
        f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_X_1"
    )
    store.save_plan(forged)
    sess = session()
    calls = record_iam(sess)
    # When it is applied, then it is refused whole (it is not the plan that was previewed)
    with pytest.raises(ConflictError):
        apply_plan(sess, plan["plan_id"], store=store, verify=False)
    assert calls.writes == {}


@pytest.mark.parametrize(
    "arn",
    [
        f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_X_1",
        f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/sagemaker.amazonaws.com/AWSServiceRoleForSageMaker",
    ],
)
def test_the_last_guard_refuses_sso_and_service_linked_principals(arn):
    # Defence in depth: even a write that got past planning is refused right before it is sent
    name = arn.rsplit("/", 1)[1]
    with pytest.raises(NbJobIamError) as err:
        assert_writable({"type": "role", "name": name, "arn": arn})
    assert err.value.error_code == "principal_not_writable"


# -- verify ------------------------------------------------------------------------------------------


def test_verify_retries_with_backoff_until_iam_catches_up(user, role, iam, session, store):
    # Given a check that sees the change only on its third try (IAM's eventual consistency)
    _bare(user, role, iam)
    plan = plan_for(session, store)
    stale = plan_for.__globals__["check"](session())
    answers = [stale, stale]
    sleeps: list[float] = []

    def lagging(sess):
        return answers.pop(0) if answers else check(sess)

    # When the plan is applied
    result = apply_plan(
        session(), plan["plan_id"], store=store, check_fn=lagging, verify_timeout=30, sleep=sleeps.append
    )
    # Then it checked three times, waiting longer each time, and verified
    assert result["verified"] is True and result["verify_attempts"] == 3
    assert sleeps == [1.0, 2.0]


def test_verify_gives_up_at_the_timeout_and_says_what_is_still_missing(user, role, iam, session, store):
    _bare(user, role, iam)
    plan = plan_for(session, store)
    stale = check(session())
    result = apply_plan(session(), plan["plan_id"], store=store, check_fn=lambda s: stale, verify_timeout=0.05)
    assert result["status"] == "applied" and result["verified"] is False
    assert "trust/TrustRelationship" in result["still_missing"]


# -- undo ------------------------------------------------------------------------------------------


def _snapshot(sess: AwsSession) -> dict:
    return {
        "user": aws_writes.read_inline_policies(sess, "user", "ada"),
        "user_attached": aws_writes.list_attached_policy_arns(sess, "user", "ada"),
        "role": aws_writes.read_inline_policies(sess, "role", ROLE),
        "trust": aws_writes.get_trust_policy(sess, ROLE),
    }


def test_undo_restores_every_document_exactly(user, role, iam, session, store):
    # Given a user with the tool's older policy, another inline one, and a role with its own
    _older_own_policy(user, role, iam)
    original = _snapshot(session())
    plan, result = fix(session, store)
    assert _snapshot(session()) != original
    # When the fix is undone
    undone = undo(session(), result["backup_id"], store=store, check_fn=checker())
    # Then every document is exactly what it was (as parsed JSON), and the gaps are back
    assert _snapshot(session()) == original
    assert [r["write_id"] for r in undone["restored"]] == ["w3", "w2", "w1"]
    assert not_ok(undone["report"])


def test_undo_removes_a_managed_policy_the_fix_created(user, session, store):
    user(inline={"Existing": padding_policy(2000)})
    original = aws_writes.list_attached_policy_arns(session(), "user", "ada")
    plan, result = fix(session, store, role=None)
    arn = plan["writes"][0]["policy_arn"]
    assert aws_writes.get_managed_policy(session(), arn) is not None
    undo(session(), result["backup_id"], store=store, check_fn=checker(role=None))
    assert aws_writes.list_attached_policy_arns(session(), "user", "ada") == original
    assert aws_writes.get_managed_policy(session(), arn) is None


def test_undo_never_clobbers_a_later_edit(user, role, iam, session, store):
    # Given an applied fix, and then someone's own edit to the tool's policy
    _bare(user, role, iam)
    plan, result = fix(session, store)
    edited = doc(allow("s3:GetObject", sid="Theirs"))
    iam.put_user_policy(UserName="ada", PolicyName="SageMakerNotebookJobs", PolicyDocument=text(edited))
    trust_after_fix = aws_writes.get_trust_policy(session(), ROLE)
    # When the fix is undone
    with pytest.raises(ConflictError) as err:
        undo(session(), result["backup_id"], store=store, check_fn=checker())
    # Then nothing is undone at all: their edit and the rest of the fix stay
    assert err.value.details["changed"] == ["inline:user:ada:SageMakerNotebookJobs"]
    assert aws_writes.get_inline_policy(session(), "user", "ada", "SageMakerNotebookJobs") == edited
    assert aws_writes.get_trust_policy(session(), ROLE) == trust_after_fix


def test_undo_twice_is_refused(user, role, iam, session, store):
    _bare(user, role, iam)
    plan, result = fix(session, store)
    undo(session(), result["backup_id"], store=store, check_fn=checker())
    with pytest.raises(ConflictError) as err:
        undo(session(), result["backup_id"], store=store, check_fn=checker())
    assert err.value.error_code == "already_undone"


# -- nothing secret on disk ------------------------------------------------------------------------


def test_no_credential_reaches_any_file_the_fix_writes(user, role, iam, session, store):
    # Given a user's known keys, and an AWS error that echoes them back (the worst case)
    keys = user()
    role()
    plan = plan_for(session, store)
    faulty = session()
    leak = f"denied for {keys['AccessKeyId']} / {keys['SecretAccessKey']}"
    inject_aws_fault(faulty, "iam:UpdateAssumeRolePolicy", "AccessDenied", leak)

    # When a fix fails (its error kept in the backup), then resumes and is undone
    def scan() -> list:
        files = [p for p in store.root.rglob("*") if p.is_file()]
        for path in files:
            content = path.read_text()
            assert keys["AccessKeyId"] not in content and keys["SecretAccessKey"] not in content, path
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        for folder in [store.root, *[p for p in store.root.rglob("*") if p.is_dir()]]:
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        return files

    failed = apply_plan(faulty, plan["plan_id"], store=store, check_fn=checker())
    assert failed["failed"][0]["error"]["error_code"] == "access_denied"
    # Then no file of the store holds the key id or the secret, and every file and folder is private
    assert len(scan()) == 4  # plan, journal, backup (with the error), lock
    assert "[redacted]" in json.dumps(failed)
    result = apply_plan(session(), plan["plan_id"], store=store, check_fn=checker())
    undo(session(), result["backup_id"], store=store, check_fn=checker())
    assert len(scan()) == 3  # the journal is gone after the undo


def _own_managed_policy_plan(user, session, store, iam) -> tuple[dict, str]:
    """ada near her inline budget, the tool's own managed policy attached: a plan adding a version."""
    user(inline={"Big": padding_policy(2000)})
    arn = aws_writes.create_managed_policy(
        session(), "SageMakerNotebookJobs-user-ada", doc(allow("s3:GetObject", sid="A"))
    )
    iam.attach_user_policy(UserName="ada", PolicyArn=arn)
    plan = plan_for(session, store, role=None)
    assert [w["api_call"] for w in plan["writes"]] == ["iam:CreatePolicyVersion"]
    return plan, arn


def _lose_create_policy_version_answer(sess) -> None:
    def lose_answer(**_):
        raise ClientError({"Error": {"Code": "RequestTimeout", "Message": "reset"}}, "CreatePolicyVersion")

    sess.client("iam").meta.events.register("after-call.iam.CreatePolicyVersion", lose_answer)


def test_undo_finds_the_version_an_apply_added_when_its_answer_was_lost(user, session, store, iam):
    # Given a CreatePolicyVersion that landed but whose answer (the version id) was lost
    plan, arn = _own_managed_policy_plan(user, session, store, iam)
    sess = session()
    _lose_create_policy_version_answer(sess)
    result = apply_plan(sess, plan["plan_id"], store=store, verify=False)
    assert result["status"] == "applied"
    assert store.load_backup(result["backup_id"])["entries"][0]["result"] == {}
    # When the fix is undone
    undone = undo(session(), result["backup_id"], store=store, check_fn=checker(role=None))
    # Then v1 is the default again and v2 (found by its document) is gone: no KeyError, no stuck backup
    assert [(v["version_id"], v["is_default"]) for v in aws_writes.list_policy_versions(session(), arn)] == [
        ("v1", True)
    ]
    assert "deleted version v2" in undone["restored"][0]["summary"]
    assert store.load_backup(result["backup_id"])["undone_at"]


def test_undo_finds_the_added_version_by_the_plans_document_not_the_backups(user, session, store, iam):
    # Given the same lost answer, and a backup whose recorded documents were edited since
    plan, arn = _own_managed_policy_plan(user, session, store, iam)
    sess = session()
    _lose_create_policy_version_answer(sess)
    result = apply_plan(sess, plan["plan_id"], store=store, verify=False)
    backup = store.load_backup(result["backup_id"])
    backup["entries"][0]["after"] = doc(allow("s3:Nothing"))
    backup["entries"][0]["before"] = doc(allow("*"))
    store.save_backup(backup)
    # When the fix is undone
    undone = undo(session(), result["backup_id"], store=store, check_fn=checker(role=None))
    # Then the version the plan added is found by the plan's document and removed; v1 is the default again
    assert [r["api_call"] for r in undone["restored"]] == ["iam:DeletePolicyVersion"]
    policy = aws_writes.get_managed_policy(session(), arn)
    assert policy["DefaultVersionId"] == "v1"
    assert [v["version_id"] for v in aws_writes.list_policy_versions(session(), arn)] == ["v1"]


# -- the account the plan was made in ---------------------------------------------------------------


def _other_account(sts, use_keys) -> None:
    """Switch to credentials of account 111111111111, which has its own user ada and role."""
    creds = sts.assume_role(RoleArn="arn:aws:iam::111111111111:role/Admin", RoleSessionName="other")["Credentials"]
    use_keys(creds)
    other = boto3.client(
        "iam",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    other.create_user(UserName="ada")
    other.create_role(RoleName=ROLE, Path="/service-role/", AssumeRolePolicyDocument=text(TRUST_SAGEMAKER))


def test_apply_with_credentials_of_another_account_writes_nothing(user, role, iam, sts, use_keys, session, store):
    # Given a plan made in the account of ada and her execution role
    _bare(user, role, iam)
    plan = plan_for(session, store)
    # When it is applied with credentials of another account that has a same-named user and role
    _other_account(sts, use_keys)
    sess = session()
    calls = record_iam(sess)
    with pytest.raises(ConflictError) as err:
        apply_plan(sess, plan["plan_id"], store=store, verify=False)
    # Then it is refused as an account mismatch, and nothing is written in either account
    assert err.value.error_code == "account_mismatch"
    assert err.value.details["expected_account"] == ACCOUNT
    assert err.value.details["actual_account"] == "111111111111"
    assert calls.writes == {} and store.get_journal(plan["plan_id"]) is None
    assert aws_writes.list_inline_policy_names(sess, "user", "ada") == []


def test_undo_with_credentials_of_another_account_writes_nothing(user, role, iam, sts, use_keys, session, store):
    # Given a fix applied in ada's account
    _bare(user, role, iam)
    keys = {"AccessKeyId": os.environ["AWS_ACCESS_KEY_ID"], "SecretAccessKey": os.environ["AWS_SECRET_ACCESS_KEY"]}
    plan, result = fix(session, store)
    # When it is undone with credentials of another account (undo ID --profile other)
    _other_account(sts, use_keys)
    sess = session()
    calls = record_iam(sess)
    with pytest.raises(ConflictError) as err:
        undo(sess, result["backup_id"], store=store, check_fn=checker())
    # Then nothing is written, and the backup can still be undone with the right credentials
    assert err.value.error_code == "account_mismatch" and calls.writes == {}
    use_keys(keys)
    undo(session(), result["backup_id"], store=store, check_fn=checker())
    assert aws_writes.list_inline_policy_names(session(), "user", "ada") == []


def test_a_fix_reverted_by_hand_can_be_planned_and_applied_again(user, role, iam, session, store):
    # Given a completed fix
    _bare(user, role, iam)
    plan, result = fix(session, store)
    assert result["status"] == "applied"
    # When someone reverts IAM to the state before the fix by hand (not with undo)
    iam.delete_user_policy(UserName="ada", PolicyName="SageMakerNotebookJobs")
    iam.delete_role_policy(RoleName=ROLE, PolicyName="SageMakerNotebookJobs")
    iam.update_assume_role_policy(RoleName=ROLE, PolicyDocument=text(TRUST_SAGEMAKER))
    # And the fix is planned again: the same state gives the same plan id
    again = plan_for(session, store)
    assert again["plan_id"] == plan["plan_id"]
    # Then it applies (not a plan_conflict from the old journal), in a new backup, and all is ok
    second = apply_plan(session(), again["plan_id"], store=store, verify_timeout=0.5, check_fn=checker())
    assert second["status"] == "applied" and second["backup_id"] != result["backup_id"]
    assert [a.get("resumed", False) for a in second["applied"]] == [False, False, False]
    assert not_ok(check(session())) == {}
    # And its undo puts the state back as it was before
    undo(session(), second["backup_id"], store=store, check_fn=checker())
    assert aws_writes.list_inline_policy_names(session(), "user", "ada") == []
