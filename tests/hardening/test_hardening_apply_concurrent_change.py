"""Finding 2 of issue 13, through the fault proxy: an administrator's change landing between two of
the fix's writes (a Deny added to the trust policy right after the first write reached IAM) is never
overwritten. Apply stops with ``plan_conflict`` naming the trust policy and the writes that landed;
the Deny is still there; undo of what landed leaves it there too."""

from __future__ import annotations

import json

import pytest

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.check import run_check
from jupyter_nbjob_iam.errors import ConflictError
from jupyter_nbjob_iam.fix import PlanStore, apply_plan, make_plan, undo

from .hardening_helpers import ROLE, TRUST_SAGEMAKER, seed

DENY = {"Sid": "AdminAddedThis", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
WITH_DENY = {"Version": "2012-10-17", "Statement": [*TRUST_SAGEMAKER["Statement"], DENY]}


def _trust(iam) -> dict:
    return iam.get_role(RoleName=ROLE)["Role"]["AssumeRolePolicyDocument"]


@pytest.mark.parametrize("after", ["iam:PutUserPolicy", "iam:PutRolePolicy"])
def test_a_deny_landing_between_two_writes_is_kept_and_apply_stops(iam, proxy, use_keys, state_dir, after):
    # Given the usual gaps and a plan of three writes (user policy, role policy, trust)
    use_keys(seed(iam))
    store = PlanStore(state_dir)
    report = run_check(AwsSession(), role=ROLE, engine="local").to_json()
    plan = make_plan(AwsSession(), report, store=store)
    calls = [w["api_call"] for w in plan["writes"]]
    assert calls == ["iam:PutUserPolicy", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"]
    # And an administrator who adds a Deny to the trust policy the moment one of the earlier writes lands
    proxy.clear()
    proxy.add(
        "hook",
        after,
        times=1,
        callback=lambda: iam.update_assume_role_policy(RoleName=ROLE, PolicyDocument=json.dumps(WITH_DENY)),
    )
    # When the plan is applied
    with pytest.raises(ConflictError) as err:
        apply_plan(AwsSession(), plan["plan_id"], store=store, verify=False)
    # Then the trust policy was never written: the Deny is there, exactly as the administrator left it
    assert "iam:UpdateAssumeRolePolicy" not in proxy.writes()
    assert _trust(iam) == WITH_DENY
    # And the error names the target and lists what landed, with the backup to undo it
    details = err.value.details
    assert err.value.error_code == "plan_conflict" and err.value.status == 409
    assert details["target"] == f"the trust policy of role {ROLE}"
    # (the role policy is written after a change to the trust: its own target did not change)
    assert [a["api_call"] for a in details["applied"]] == calls[:2]
    assert details["backup_id"] in err.value.message
    # And undo of what landed reverts it and leaves the administrator's trust policy alone
    undo(AwsSession(), details["backup_id"], store=store, check_fn=lambda s: {})
    assert iam.list_user_policies(UserName="ada")["PolicyNames"] == []
    assert iam.list_role_policies(RoleName=ROLE)["PolicyNames"] == []
    assert _trust(iam) == WITH_DENY
