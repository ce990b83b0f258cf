"""Faults during a fix: at every read of the plan and of apply, and at every write of apply (inline
route and customer-managed-policy route), with a throttle, an HTTP 500, a reset or a read timeout.

A transient fault is retried and changes nothing; a persistent one stops the apply with a clear error;
a lost answer (the write landed, the answer never came) is recognised as landed. Whatever happened,
the apply result names every write that landed, and moto's state is exactly the state before plus
those writes: nothing unreported has changed. Applying the same plan again then finishes the job.
"""

from __future__ import annotations

import pytest

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.check import run_check
from jupyter_nbjob_iam.errors import EndpointError
from jupyter_nbjob_iam.fix import PlanStore, apply_plan, make_plan

from .hardening_helpers import ROLE, big_inline_policy, iam_state, seed, with_writes

FAULTS = ("throttle", "server_error", "reset", "slow")
# Reads: one fault of each kind botocore tells apart (an error answer, a broken connection); all four
# kinds at every read are covered by the check's tests, and all four at every write here.
READ_FAULTS = ("throttle", "reset")
SLOW, READ_TIMEOUT = 0.6, 0.2
SCENES = {"inline": None, "managed": {"own": big_inline_policy()}}
WRITES = {
    "inline": ("iam:PutUserPolicy", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"),
    "managed": ("iam:CreatePolicy", "iam:AttachUserPolicy", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"),
}
PLAN_READS = {
    "iam:GetAccountSummary",
    "iam:GetPolicy",
    "iam:GetRole",
    "iam:GetUserPolicy",
    "iam:ListAttachedRolePolicies",
    "iam:ListAttachedUserPolicies",
    "iam:ListRolePolicies",
    "iam:ListUserPolicies",
}
# apply re-reads what the plan read (not the quotas) and asks who the credentials are (same account?)
APPLY_READS = PLAN_READS - {"iam:GetAccountSummary"} | {"sts:GetCallerIdentity"}
# ... and re-reads each write's target right before writing it (here the role's new inline policy:
# iam:GetRolePolicy is made by that re-read only)
PER_WRITE_READS = {"iam:GetRolePolicy"}
WRITE_CASES = [(scene, call) for scene, calls in WRITES.items() for call in calls]
_REPORTS: dict[str, dict] = {}  # the check report of each scene (the same every test: made once)


class Fix:
    """One scene, its check report and store; ``plan()`` and ``apply()`` through the proxy."""

    def __init__(self, iam, proxy, store: PlanStore, scene: str) -> None:
        self.iam, self.proxy, self.store, self.scene = iam, proxy, store, scene
        if scene not in _REPORTS:
            _REPORTS[scene] = run_check(AwsSession(), role=ROLE, kms_key_arn=None, engine="local").to_json()
        self.report = _REPORTS[scene]
        self.before = iam_state(iam)
        proxy.clear()

    def plan(self) -> dict:
        return make_plan(AwsSession(), self.report, policy_name="SageMakerNotebookJobs", store=self.store)

    def apply(self, plan: dict) -> dict:
        return apply_plan(AwsSession(), plan["plan_id"], store=self.store, verify=False)

    def assert_accounts_for(self, plan: dict, result: dict) -> None:
        """The result names every write once, and the account changed by exactly the applied ones."""
        named = [e["write_id"] for key in ("applied", "failed", "not_attempted") for e in result[key]]
        assert sorted(named) == sorted(w["write_id"] for w in plan["writes"]), result
        applied = {a["write_id"] for a in result["applied"]}
        assert iam_state(self.iam) == with_writes(self.before, [w for w in plan["writes"] if w["write_id"] in applied])


@pytest.fixture
def fix(request, iam, proxy, use_keys, state_dir, quick_retries, read_timeout):
    """The scene named by the test's ``scene`` parameter (default: the managed route, which makes
    every read)."""
    scene = getattr(request, "param", "managed")
    use_keys(seed(iam, user_inline=SCENES[scene]))
    read_timeout(READ_TIMEOUT)
    return Fix(iam, proxy, PlanStore(state_dir), scene)


@pytest.mark.parametrize("fix", sorted(SCENES), indirect=True)
def test_scenes_exercise_every_listed_call(fix, proxy):
    # The calls listed above are the ones plan and apply make here: faults at each are real tests
    plan = fix.plan()
    reads = set(proxy.actions())
    proxy.clear()
    fix.apply(plan)
    scene = fix.scene
    assert {w["api_call"] for w in plan["writes"]} == set(WRITES[scene])
    assert reads == PLAN_READS - ({"iam:GetUserPolicy"} if scene == "inline" else set())
    assert set(proxy.actions()) - set(WRITES[scene]) == APPLY_READS | PER_WRITE_READS


@pytest.mark.parametrize("mode", ["transient", "persistent", "lost_answer"])
@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("fix,call", WRITE_CASES, indirect=["fix"])
def test_fault_at_each_write_of_apply(fix, proxy, call, fault, mode):
    # Given a plan, and a fault at one of its writes: twice, always, or after the write landed
    plan = fix.plan()
    rule = proxy.add(
        fault, call, times=2 if mode == "transient" else None, delay=SLOW, after_forward=mode == "lost_answer"
    )
    # When it is applied
    result = fix.apply(plan)
    # Then the fault was met, and the result accounts for exactly what changed
    assert rule.hits >= (2 if mode == "transient" else 5), rule
    fix.assert_accounts_for(plan, result)
    if mode == "persistent":
        (failed,) = result["failed"]
        assert failed["api_call"] == call and result["status"] in ("partial", "failed")
        assert failed["error"]["error_code"] == "endpoint_unreachable", failed
        assert result["handoff"]["documents"], "the refused writes go to the hand-off"
    else:  # retried, or recognised as landed although its answer was lost
        assert result["status"] == "applied", result
    # And applying the same plan again (fault gone) completes it, writing each change once
    proxy.clear()
    if result["status"] != "applied":
        again = fix.apply(plan)
        assert again["status"] == "applied" and [a.get("resumed") for a in again["applied"]].count(True) == len(
            result["applied"]
        )
    assert iam_state(fix.iam) == with_writes(fix.before, plan["writes"])


@pytest.mark.parametrize("fault", READ_FAULTS)
@pytest.mark.parametrize("call", sorted(PLAN_READS))
def test_fault_at_each_read_of_plan(fix, proxy, call, fault):
    expected = fix.plan()["plan_id"]
    # A transient fault is retried: the same plan, same id
    rule = proxy.add(fault, call, times=2, delay=SLOW)
    assert fix.plan()["plan_id"] == expected and rule.hits == 2
    # A persistent one is a clear error; a plan is a preview, so nothing was written either way
    proxy.add(fault, call, delay=SLOW)
    with pytest.raises(EndpointError) as info:
        fix.plan()
    assert info.value.details["aws_action"] == call
    assert iam_state(fix.iam) == fix.before and proxy.writes() == []


@pytest.mark.parametrize("fault", READ_FAULTS)
@pytest.mark.parametrize("call", sorted(APPLY_READS))
def test_persistent_fault_at_a_read_of_apply_writes_nothing(fix, proxy, call, fault):
    # Given a plan, and apply's re-read of the live state failing every time
    plan = fix.plan()
    proxy.add(fault, call, delay=SLOW)
    # When it is applied: a clear error, and not a single write
    with pytest.raises(EndpointError):
        fix.apply(plan)
    assert proxy.writes() == [] and iam_state(fix.iam) == fix.before
    # Then, the fault gone, the same plan applies
    proxy.clear()
    assert fix.apply(plan)["status"] == "applied"
    assert iam_state(fix.iam) == with_writes(fix.before, plan["writes"])


@pytest.mark.parametrize("fault", READ_FAULTS)
def test_persistent_fault_at_the_re_read_before_a_write_stops_there(fix, proxy, fault):
    # Given a plan, and the re-read of the role's policy right before its write failing every time
    plan = fix.plan()
    proxy.add(fault, "iam:GetRolePolicy", delay=SLOW)
    # When it is applied: the writes before it landed, that one is not written, the result says so
    result = fix.apply(plan)
    assert result["status"] == "partial"
    (failed,) = result["failed"]
    assert failed["api_call"] == "iam:PutRolePolicy" and failed["error"]["error_code"] == "endpoint_unreachable"
    fix.assert_accounts_for(plan, result)
    # Then, the fault gone, the same plan resumes and finishes
    proxy.clear()
    assert fix.apply(plan)["status"] == "applied"
    assert iam_state(fix.iam) == with_writes(fix.before, plan["writes"])
