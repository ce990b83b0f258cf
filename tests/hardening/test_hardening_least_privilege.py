"""Least privilege: README's "Permissions the extension itself needs" is exactly what the code calls,
and, granted exactly that under moto's request authorization, a check, a fix and an undo work;
without any one action that the scene exercises, the step that needs it fails and names it.

moto's authorization is crude (resource ``*``, no conditions) and does not enforce
``sts:GetCallerIdentity`` (AWS does not either), ``iam:TagPolicy`` on ``CreatePolicy`` (AWS does) or
``iam:SimulatePrincipalPolicy`` (moto lacks the simulator): those three are checked against the code
only.
"""

from __future__ import annotations

import json

import pytest

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.check import run_check
from jupyter_nbjob_iam.errors import AccessDeniedError
from jupyter_nbjob_iam.fix import PlanStore, apply_plan, make_plan, undo
from jupyter_nbjob_iam.sandbox.server import set_auth

from . import permissions_doc as doc
from .hardening_helpers import ROLE, big_inline_policy, iam_state, seed_rich, with_writes

ALL = doc.actions()
NOT_ENFORCED_BY_MOTO = {"sts:GetCallerIdentity", "iam:TagPolicy"}
CHECK_READS = [a for a in doc.actions("check", optional=False) if a not in NOT_ENFORCED_BY_MOTO]
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
# Where ada's own permissions live decides the fix's route: attached, the guide's statements fit her
# 2,048-character inline budget (inline route); inline, beside another large inline policy, they do
# not, and nor does anything added later (customer managed policy route, then new versions of it).
ROUTES = {
    "inline": ("iam:PutUserPolicy", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"),
    "managed": ("iam:CreatePolicy", "iam:AttachUserPolicy", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"),
}
UNDO_ONLY = {
    "inline": ("iam:DeleteUserPolicy", "iam:DeleteRolePolicy"),
    "managed": ("iam:DetachUserPolicy", "iam:DeletePolicy", "iam:DeleteRolePolicy"),
}


class Account:
    """ada, signed in with exactly ``allowed`` (as an attached or an inline policy), under moto's
    request authorization; plan, apply and undo as her."""

    def __init__(self, iam, url: str, use_keys, store: PlanStore) -> None:
        self.iam, self.url, self.use_keys, self.store = iam, url, use_keys, store

    def sign_in(self, allowed, route: str = "inline") -> None:
        keys = seed_rich(self.iam)
        if route == "inline":
            arn = self.iam.create_policy(PolicyName="NbJobIam", PolicyDocument=doc.grant(*allowed))["Policy"]["Arn"]
            self.iam.attach_user_policy(UserName="ada", PolicyArn=arn)
        else:
            self.iam.put_user_policy(UserName="ada", PolicyName="NbJobIam", PolicyDocument=doc.grant(*allowed))
            self.iam.put_user_policy(UserName="ada", PolicyName="Buckets", PolicyDocument=big_inline_policy())
        self.before = iam_state(self.iam)
        self.use_keys(keys)
        set_auth(self.url, True)

    def state(self) -> dict:
        set_auth(self.url, False)  # the snapshot uses the scene-setting keys
        try:
            return iam_state(self.iam)
        finally:
            set_auth(self.url, True)

    def check(self, **kwargs) -> dict:
        return run_check(AwsSession(), role=kwargs.pop("role", None), engine="local", **kwargs).to_json()

    def plan(self, **kwargs) -> dict:
        report = self.check(role=ROLE, **kwargs)
        return make_plan(AwsSession(), report, policy_name="SageMakerNotebookJobs", store=self.store)

    def apply(self, plan: dict, verify: bool = False) -> dict:
        return apply_plan(AwsSession(), plan["plan_id"], store=self.store, verify=verify, verify_timeout=5)

    def undo(self, backup_id: str) -> dict:
        return undo(AwsSession(), backup_id, store=self.store, check_fn=lambda s: {})


@pytest.fixture
def ada(iam, aws_env, use_keys, state_dir, quick_retries):
    try:
        yield Account(iam, aws_env, use_keys, PlanStore(state_dir))
    finally:
        set_auth(aws_env, False)


def statuses(report: dict) -> set[str]:
    return {s["status"] for t in report["targets"] for s in t["statements"]}


def test_section_lists_exactly_what_the_code_calls():
    # Every action the aws/ package names is listed, and nothing else but iam:TagPolicy, which AWS
    # requires for CreatePolicy with tags without the code naming it
    assert doc.code_actions() <= set(ALL)
    assert set(ALL) - doc.code_actions() == {"iam:TagPolicy"}
    assert len(ALL) == len(set(ALL)), "an action is listed twice"
    # And the ready-made JSON policy holds exactly the tables' actions, one statement per purpose
    block = {s["Sid"]: s["Action"] for s in doc.policy_block()["Statement"]}
    assert {k: sorted(v) for k, v in block.items()} == {
        f"NbJobIam{p.capitalize()}": sorted(doc.actions(p)) for p in ("check", "fix", "undo")
    }


def test_exactly_the_listed_actions_check_fix_verify_and_undo(ada):
    # Given ada with exactly the README's actions
    ada.sign_in(ALL)
    # When she checks (the default role found by name: iam:ListRoles), every policy could be read
    report = ada.check()
    assert report["role"]["arn"].endswith(ROLE) and "unknown" not in statuses(report)
    # And she fixes: applied and verified
    plan = ada.plan()
    result = ada.apply(plan, verify=True)
    assert result["status"] == "applied" and result["verified"], result
    assert ada.state() == with_writes(ada.before, plan["writes"])
    # And she undoes: back to before
    restored = ada.undo(result["backup_id"])["restored"]
    assert len(restored) == len(plan["writes"]) and ada.state() == ada.before


def test_read_only_part_checks_fully_and_hands_the_fix_off(ada):
    # Given only the check's actions
    ada.sign_in(doc.actions("check"))
    # Then the check reads everything, the plan is a preview, and applying it is refused at once
    assert "unknown" not in statuses(ada.check(role=ROLE))
    plan = ada.plan()
    result = ada.apply(plan)
    assert result["status"] == "failed" and result["failed"][0]["error"]["error_code"] == "access_denied"
    assert result["handoff"]["cli_commands"] and ada.state() == ada.before


@pytest.mark.parametrize("removed", CHECK_READS)
def test_each_read_of_the_check_is_needed(ada, removed):
    # Given every listed action but one read
    ada.sign_in([a for a in ALL if a != removed])
    # When she checks: the report says which read was refused, and is not the full one
    report = ada.check()
    assert removed in json.dumps(report), f"nothing in the report names {removed}"
    assert "unknown" in statuses(report) or report["role"] is None


@pytest.mark.parametrize("route,removed", [(r, w) for r, writes in ROUTES.items() for w in writes])
def test_each_write_of_the_fix_is_needed(ada, route, removed):
    # Given every listed action but one write the fix makes on this route
    ada.sign_in([a for a in ALL if a != removed], route)
    plan = ada.plan()
    assert removed in {w["api_call"] for w in plan["writes"]}, "the scene exercises this write"
    # When the fix is applied: it stops at that write, says so, and hands the rest off
    result = ada.apply(plan)
    failed = result["failed"][0]
    assert failed["api_call"] == removed and failed["error"]["error_code"] == "access_denied"
    assert result["handoff"]["documents"]
    # And the account changed by exactly the writes it reports
    applied = {a["write_id"] for a in result["applied"]}
    assert ada.state() == with_writes(ada.before, [w for w in plan["writes"] if w["write_id"] in applied])


def test_without_the_account_summary_the_plan_says_it_assumed_the_quotas(ada):
    # Given every listed action but the live quotas' read
    ada.sign_in([a for a in ALL if a != "iam:GetAccountSummary"])
    # Then the plan still previews, and says which read was refused and what it assumed instead
    plan = ada.plan()
    assert plan["writes"] and any("iam:GetAccountSummary" in note for note in plan["notes"]), plan["notes"]


@pytest.mark.parametrize("route,removed", [(r, u) for r, actions in UNDO_ONLY.items() for u in actions])
def test_each_action_of_undo_is_needed(ada, route, removed):
    # Given every listed action but one that only undo uses: the fix works
    ada.sign_in([a for a in ALL if a != removed], route)
    result = ada.apply(ada.plan())
    assert result["status"] == "applied"
    # When she undoes it: refused, naming the action
    with pytest.raises(AccessDeniedError) as info:
        ada.undo(result["backup_id"])
    assert info.value.details["denied_action"] == removed


@pytest.mark.parametrize(
    "removed", [None, "iam:ListPolicyVersions", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"]
)
def test_policy_version_actions_are_needed(ada, removed):
    # Given ada whose first fix created the tool's managed policy (her inline budget was spent)
    ada.sign_in([a for a in ALL if a != removed], "managed")
    assert ada.apply(ada.plan())["status"] == "applied"
    first = ada.state()
    # When a KMS key is added, the fix updates that policy with a new version
    plan = ada.plan(kms_key_arn=KEY)
    if removed == "iam:ListPolicyVersions":  # it cannot see the versions: nothing written, handed off
        assert plan["writes"] == [] and [
            s["sid"] for s in plan["skipped"] if not s.get("reason", "").startswith("Only")
        ] == ["KmsKeyAccess"]
        return
    assert [w["api_call"] for w in plan["writes"]] == ["iam:CreatePolicyVersion"]
    result = ada.apply(plan)
    if removed == "iam:CreatePolicyVersion":
        assert result["failed"][0]["error"]["details"]["denied_action"] == removed
        return
    assert result["status"] == "applied", result
    # Then its undo makes the version before the default again and deletes the new one
    if removed is not None:
        with pytest.raises(AccessDeniedError) as info:
            ada.undo(result["backup_id"])
        assert info.value.details["denied_action"] == removed
        return
    ada.undo(result["backup_id"])
    assert ada.state() == first
