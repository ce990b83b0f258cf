"""Findings 1, 3 and 9 of issue 13: undo is bound to the plan, not to what a backup file says; every
field apply, undo and verify act on is under the plan's digest; a policy attached elsewhere is kept.

Against moto over HTTP, except ``DeleteConflict``: moto deletes an attached policy without complaint,
so that one answer comes from botocore's Stubber (validated against IAM's service model)."""

from __future__ import annotations

import json

import pytest
from botocore.stub import Stubber

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.aws import writes as aws_writes
from jupyter_nbjob_iam.check import run_check
from jupyter_nbjob_iam.errors import ConflictError, NbJobIamError
from jupyter_nbjob_iam.fix import apply_plan, make_plan, undo
from jupyter_nbjob_iam.fix.plan import legacy_digest
from jupyter_nbjob_iam.fix.undo import _delete_created_policy, undo_preview

from .fixhelp import ACCOUNT, doc, record_iam, text

ROLE = "SagemakerJupyterSchedulerRole"
ADMIN_EVERYTHING = doc({"Effect": "Allow", "Action": "*", "Resource": "*"})


def _check(sess: AwsSession) -> dict:
    return run_check(sess, role=ROLE, kms_key_arn=None, engine="local").to_json()


def _applied(user, role, session, store) -> tuple[dict, dict]:
    user()
    role()
    plan = make_plan(session(), _check(session()), store=store)
    result = apply_plan(session(), plan["plan_id"], store=store, verify=False)
    assert result["status"] == "applied"
    return plan, result


def _edit(path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _forge(store, result, iam) -> None:
    """Point the backup's first entry at a bystander role with an Allow *:* "before" and new words."""
    iam.create_role(RoleName="Bystander", AssumeRolePolicyDocument=text(doc()))

    def forge(backup: dict) -> None:
        backup["entries"][0].update(
            principal={"type": "role", "name": "Bystander", "arn": f"arn:aws:iam::{ACCOUNT}:role/Bystander"},
            policy_name="Pwned",
            before=ADMIN_EVERYTHING,
            summary="harmless",
        )

    _edit(store.root / "backups" / f"{result['backup_id']}.json", forge)


def test_a_forged_backup_cannot_make_undo_write_what_the_plan_never_did(user, role, iam, session, store):
    # Given an applied fix whose backup was then forged to name a bystander role and an Allow *:*
    plan, result = _applied(user, role, session, store)
    _forge(store, result, iam)
    # When it is undone
    undo(session(), result["backup_id"], store=store, check_fn=_check)
    # Then undo reverted exactly the plan's writes: the bystander got nothing, ada's policy is gone
    assert iam.list_role_policies(RoleName="Bystander")["PolicyNames"] == []
    assert iam.list_user_policies(UserName="ada")["PolicyNames"] == []


def test_the_undo_confirmation_shows_the_plans_words_not_a_forged_backups(user, role, iam, session, store):
    plan, result = _applied(user, role, session, store)
    _forge(store, result, iam)
    shown = undo_preview(store, result["backup_id"])
    assert [item["summary"] for item in shown] == [w["summary"] for w in reversed(plan["writes"])]


def test_a_backup_naming_a_write_the_plan_lacks_is_refused_and_nothing_written(user, role, session, store):
    plan, result = _applied(user, role, session, store)
    backup_path = store.root / "backups" / f"{result['backup_id']}.json"
    _edit(backup_path, lambda b: b["entries"].append({**b["entries"][0], "write_id": "w99"}))
    sess = session()
    calls = record_iam(sess)
    with pytest.raises(ConflictError) as err:
        undo(sess, result["backup_id"], store=store, check_fn=_check)
    assert err.value.error_code == "backup_mismatch" and calls.writes == {}


@pytest.mark.parametrize(
    "field,value",
    [
        ("profile", "someone-else"),
        ("region", "eu-west-1"),
        ("role_arn", f"arn:aws:iam::{ACCOUNT}:role/Admin"),
        ("kms_key_arn", f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        ("as_guide", True),
        ("inputs", {"s3_input": "s3://elsewhere/", "s3_output": None, "output_kms_key": None, "volume_kms_key": None}),
    ],
)
def test_an_edited_plan_field_is_refused_by_apply_and_by_undo(user, role, session, store, field, value):
    # Given a plan, and one field apply, undo or verify acts on edited in the stored plan
    user()
    role()
    plan = make_plan(session(), _check(session()), store=store)
    plan_path = store.root / "plans" / f"{plan['plan_id']}.json"
    original = plan_path.read_text()
    _edit(plan_path, lambda p: p.update({field: value}))
    sess = session()
    calls = record_iam(sess)
    # When it is applied: refused, nothing written
    with pytest.raises(ConflictError) as applying:
        apply_plan(sess, plan["plan_id"], store=store, verify=False)
    assert applying.value.error_code == "plan_conflict" and "changed after the preview" in applying.value.message
    assert calls.writes == {}
    # And once applied as previewed, an edit afterwards makes undo refuse it, nothing written
    plan_path.write_text(original)
    result = apply_plan(session(), plan["plan_id"], store=store, verify=False)
    _edit(plan_path, lambda p: p.update({field: value}))
    calls = record_iam(sess)
    with pytest.raises(ConflictError) as undoing:
        undo(sess, result["backup_id"], store=store, check_fn=_check)
    assert undoing.value.error_code == "backup_mismatch"
    assert calls.writes == {}


def test_undo_that_stops_part_way_says_what_was_reverted_and_resumes(user, role, iam, session, store):
    # Given an applied fix of three writes
    plan, result = _applied(user, role, session, store)
    assert len(plan["writes"]) == 3
    sess = session()

    def refuse(**_):
        raise aws_writes.bce.ClientError(
            {"Error": {"Code": "AccessDenied", "Message": "no"}, "ResponseMetadata": {"HTTPStatusCode": 403}},
            "DeleteUserPolicy",
        )

    sess.client("iam").meta.events.register("before-call.iam.DeleteUserPolicy", refuse)
    # When undo is refused at the user's policy (its last revert: newest first)
    with pytest.raises(NbJobIamError) as err:
        undo(sess, result["backup_id"], store=store, check_fn=_check)
    # Then the error lists what was reverted and what was not
    assert [r["write_id"] for r in err.value.details["restored"]] == ["w3", "w2"]
    assert [r["write_id"] for r in err.value.details["not_restored"]] == ["w1"]
    # And a second undo resumes with what is left
    again = undo(session(), result["backup_id"], store=store, check_fn=_check)
    assert [r["write_id"] for r in again["restored"]] == ["w1"]
    assert iam.list_user_policies(UserName="ada")["PolicyNames"] == []


def test_delete_conflict_keeps_the_policy_and_says_it_was_only_detached(session, aws_env):
    # Given IAM answering DeleteConflict (the policy is attached elsewhere): moto never does, so Stubber
    sess = session()
    client = sess.client("iam")
    arn = f"arn:aws:iam::{ACCOUNT}:policy/SageMakerNotebookJobs-user-ada"
    write = {"policy_arn": arn, "policy_name": "SageMakerNotebookJobs-user-ada"}
    with Stubber(client) as stub:
        stub.add_response(
            "get_policy",
            {
                "Policy": {
                    "Arn": arn,
                    "PolicyName": write["policy_name"],
                    "DefaultVersionId": "v1",
                    "AttachmentCount": 0,
                }
            },
            {"PolicyArn": arn},
        )
        stub.add_response("list_policy_versions", {"Versions": []}, {"PolicyArn": arn})
        stub.add_client_error(
            "delete_policy", "DeleteConflict", "Cannot delete a policy attached to entities.", 409, {"PolicyArn": arn}
        )
        # When undo deletes the managed policy the fix created
        done = _delete_created_policy(sess, write)
        stub.assert_no_pending_responses()
    # Then it is kept, and the summary says undo only detached it
    assert done["kept"] is True and "only detached" in done["summary"]


def test_a_policy_attached_elsewhere_since_is_detached_but_not_deleted(user, iam, session, store):
    # Given a fix that created the tool's managed policy (ada's inline budget was spent) ...
    from .fixhelp import padding_policy

    user(inline={"Big": padding_policy(2000)})
    plan = make_plan(session(), run_check(session(), role=None, engine="local").to_json(), store=store)
    assert [w["api_call"] for w in plan["writes"]] == ["iam:CreatePolicy", "iam:AttachUserPolicy"]
    result = apply_plan(session(), plan["plan_id"], store=store, verify=False)
    arn = plan["writes"][0]["policy_arn"]
    # ... which someone then attached to another user too
    iam.create_user(UserName="bob")
    iam.attach_user_policy(UserName="bob", PolicyArn=arn)
    # When the fix is undone
    undone = undo(session(), result["backup_id"], store=store, check_fn=lambda s: {})
    # Then ada no longer has it, bob still does, and the result says why it was kept
    assert arn not in [p["PolicyArn"] for p in iam.list_attached_user_policies(UserName="ada")["AttachedPolicies"]]
    assert arn in [p["PolicyArn"] for p in iam.list_attached_user_policies(UserName="bob")["AttachedPolicies"]]
    assert any(r.get("kept") for r in undone["restored"])
    assert store.load_backup(result["backup_id"])["undone_at"]


def test_a_plan_made_before_the_digest_grew_can_still_be_undone_but_not_edited(user, role, iam, session, store):
    # Given a fix applied by the version whose plan id covered only writes, reads and account
    plan, result = _applied(user, role, session, store)
    old = {k: v for k, v in plan.items() if k not in ("as_guide", "mode")}
    old["plan_id"] = legacy_digest(old)
    store.save_plan(old)
    backup_path = store.root / "backups" / f"{result['backup_id']}.json"
    _edit(backup_path, lambda b: b.update(plan_id=old["plan_id"]))
    # When its writes are edited, undo refuses; as it was, undo reverts it
    edited = {**old, "writes": [{**old["writes"][0], "policy_name": "Other"}, *old["writes"][1:]]}
    store.save_plan(edited)
    with pytest.raises(ConflictError) as err:
        undo(session(), result["backup_id"], store=store, check_fn=_check)
    assert err.value.error_code == "backup_mismatch"
    store.save_plan(old)
    undo(session(), result["backup_id"], store=store, check_fn=_check)
    assert iam.list_user_policies(UserName="ada")["PolicyNames"] == []
