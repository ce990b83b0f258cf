"""Findings 2, 5 and 6 of issue 13: no concurrent change is lost, a journal whose backup is gone does
not block its plan, and validators take ASCII digits only. Against moto over HTTP."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from jupyter_nbjob_iam.check import run_check
from jupyter_nbjob_iam.errors import ConflictError, InputError
from jupyter_nbjob_iam.fix import apply_plan, compute_writes, make_plan
from jupyter_nbjob_iam.fix.merge import canonical

from .fixhelp import ACCOUNT, REGION, TRUST_SAGEMAKER, record_iam, report, text

ROLE = "SagemakerJupyterSchedulerRole"
DENY_EVERYONE_ELSE = {
    "Sid": "AdminAddedThis",
    "Effect": "Deny",
    "Principal": {"AWS": "*"},
    "Action": "sts:AssumeRole",
}


def _plan(user, role, session, store) -> dict:
    user()
    role()
    plan = make_plan(session(), run_check(session(), role=ROLE, engine="local").to_json(), store=store)
    assert [w["api_call"] for w in plan["writes"]] == [
        "iam:PutUserPolicy",
        "iam:PutRolePolicy",
        "iam:UpdateAssumeRolePolicy",
    ]
    return plan


def _trust(iam) -> dict:
    return iam.get_role(RoleName=ROLE)["Role"]["AssumeRolePolicyDocument"]


def test_concurrent_modification_while_someone_changes_the_target_is_a_conflict_not_a_resend(
    user, role, iam, session, store
):
    # Given a plan, and an administrator who adds a Deny to the trust policy while IAM answers
    # ConcurrentModification to the fix's UpdateAssumeRolePolicy
    plan = _plan(user, role, session, store)
    sess = session()
    sent: list = []
    changed = {"Version": "2012-10-17", "Statement": [TRUST_SAGEMAKER["Statement"][0], DENY_EVERYONE_ELSE]}

    def busy(**_):
        sent.append(1)
        iam.update_assume_role_policy(RoleName=ROLE, PolicyDocument=text(changed))
        raise ClientError({"Error": {"Code": "ConcurrentModification", "Message": "busy"}}, "UpdateAssumeRolePolicy")

    sess.client("iam").meta.events.register("before-call.iam.UpdateAssumeRolePolicy", busy)
    # When the plan is applied
    with pytest.raises(ConflictError) as err:
        apply_plan(sess, plan["plan_id"], store=store, verify=False)
    # Then the stale document was sent once, never again: the administrator's Deny is still there
    assert len(sent) == 1
    assert canonical(_trust(iam)) == canonical(changed)
    # And the conflict names the target and what was already written
    assert err.value.error_code == "plan_conflict"
    assert err.value.details["target"] == f"the trust policy of role {ROLE}"
    assert [a["write_id"] for a in err.value.details["applied"]] == ["w1", "w2"]


def test_a_journal_whose_backup_was_deleted_does_not_block_its_plan(user, role, iam, session, store):
    # Given a plan applied, reverted by hand, and its backup deleted
    plan = _plan(user, role, session, store)
    result = apply_plan(session(), plan["plan_id"], store=store, verify=False)
    iam.delete_user_policy(UserName="ada", PolicyName="SageMakerNotebookJobs")
    iam.delete_role_policy(RoleName=ROLE, PolicyName="SageMakerNotebookJobs")
    iam.update_assume_role_policy(RoleName=ROLE, PolicyDocument=text(TRUST_SAGEMAKER))
    (store.root / "backups" / f"{result['backup_id']}.json").unlink()
    # When the same state is planned again (the same plan id) and applied
    again = make_plan(session(), run_check(session(), role=ROLE, engine="local").to_json(), store=store)
    assert again["plan_id"] == plan["plan_id"]
    second = apply_plan(session(), again["plan_id"], store=store, verify=False)
    # Then it applies afresh in a new backup (not 404 backup_not_found)
    assert second["status"] == "applied" and second["backup_id"] != result["backup_id"]


@pytest.mark.parametrize(
    "key",
    [
        f"arn:aws:kms:{REGION}:١٢٣٤٥٦٧٨٩٠١٢:key/1234abcd-12ab-34cd-56ef-1234567890ab",  # Arabic-Indic digits
        f"arn:aws:kms:us-east-١:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    ],
)
def test_a_kms_arn_with_non_ascii_digits_is_never_written(key):
    rep = report(identity_arn=f"arn:aws:iam::{ACCOUNT}:user/ada", kms_key_arn=None)
    rep["targets"].append(
        {
            "target": "kms",
            "principal_arn": rep["identity"]["principal_arn"],
            "statements": [{"sid": "KmsKeyAccess", "status": "missing", "statement": {"Resource": key}}],
        }
    )
    with pytest.raises(InputError):
        compute_writes(rep, {}, {"versions": {}}, {}, legacy_needed=False)


def test_a_plan_writes_nothing_when_the_trust_changed_between_two_writes_by_hook(user, role, iam, session, store):
    # Given a plan, and an administrator adding a Deny to the trust policy right after the first write
    plan = _plan(user, role, session, store)
    sess = session()
    calls = record_iam(sess)
    changed = {"Version": "2012-10-17", "Statement": [TRUST_SAGEMAKER["Statement"][0], DENY_EVERYONE_ELSE]}
    sess.client("iam").meta.events.register(
        "after-call.iam.PutUserPolicy",
        lambda **_: iam.update_assume_role_policy(RoleName=ROLE, PolicyDocument=text(changed)),
    )
    # When the plan is applied
    with pytest.raises(ConflictError) as err:
        apply_plan(sess, plan["plan_id"], store=store, verify=False)
    # Then it stopped before the trust write: the Deny is kept, and the error says what landed
    assert canonical(_trust(iam)) == canonical(changed)
    assert "UpdateAssumeRolePolicy" not in calls.writes
    assert err.value.details["stopped_at"] == "w3" and "Already written: w1" in err.value.message
