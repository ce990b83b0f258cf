"""Faults during a check: at every AWS call a check makes (identity, role, each policy read), a
transient throttle / HTTP 500 / reset / read timeout is retried (botocore standard mode) and the
report is exactly the fault-free one; a persistent one gives a 502 in plain words through the REST
API, naming the call, never a traceback."""

from __future__ import annotations

import json

import pytest

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.check import run_check

from .hardening_helpers import ROLE, rest, seed_rich

# Every call of a local-engine check of a user (inline, attached, group policies) and a role.
CHECK_CALLS = (
    "sts:GetCallerIdentity",
    "iam:GetUser",
    "iam:GetRole",
    "iam:ListUserPolicies",
    "iam:GetUserPolicy",
    "iam:ListAttachedUserPolicies",
    "iam:ListGroupsForUser",
    "iam:ListGroupPolicies",
    "iam:GetGroupPolicy",
    "iam:ListAttachedGroupPolicies",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:ListRolePolicies",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
)
FAULTS = ("throttle", "server_error", "reset", "slow")
# A slow fault costs the client its read timeout, which every other call of the check must beat too:
# 0.3 s did not, on a loaded 2-core machine (moto answered a plain iam:GetPolicy later five times in a
# row). So the timeout is shortened only where a slow fault needs it, and to far past moto's answer.
READ_TIMEOUT = 2.0
SLOW = 4.0  # past READ_TIMEOUT: the client gives up on the answer


@pytest.fixture
def scene(iam, proxy, use_keys, quick_retries):
    use_keys(seed_rich(iam))
    return proxy


@pytest.fixture
def timeout_for(read_timeout):
    """``timeout_for(fault)``: the client's read timeout shortened for a slow fault, else left alone."""

    def shorten(fault: str) -> None:
        if fault == "slow":
            read_timeout(READ_TIMEOUT)

    return shorten


def check() -> dict:
    report = run_check(AwsSession(), role=ROLE, kms_key_arn=None, engine="local").to_json()
    return {k: report[k] for k in ("ok", "identity", "role", "targets")}


_FAULT_FREE: list[dict] = []


def fault_free() -> dict:
    """The report of the scene without faults (the same scene every test: computed once)."""
    if not _FAULT_FREE:
        _FAULT_FREE.append(check())
    return _FAULT_FREE[0]


def test_the_scene_exercises_every_call(scene):
    # The list above is every call the check makes here: a fault at each one is a real test
    assert check() == fault_free()
    assert set(scene.actions()) == set(CHECK_CALLS)


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("call", CHECK_CALLS)
def test_transient_fault_is_retried_and_changes_nothing(scene, timeout_for, call, fault):
    # Given a fault that hits the first two attempts at one call (of the 5 botocore makes)
    timeout_for(fault)
    scene.add(fault, call, times=2, delay=SLOW)
    # When the check runs
    report = check()
    # Then the faults were met, retried, and the report is the fault-free one
    assert scene.injected[f"{fault}:{call}"] == 2
    assert report == fault_free()


PERSISTENT = [(c, f) for c in ("sts:GetCallerIdentity", "iam:GetRole", "iam:GetPolicyVersion") for f in FAULTS]


@pytest.mark.parametrize("call,fault", PERSISTENT)
async def test_persistent_fault_is_a_502_in_plain_words(scene, timeout_for, jp_fetch, call, fault):
    # Given a call that fails every time
    timeout_for(fault)
    scene.add(fault, call, delay=SLOW)
    # When the panel asks for a check
    code, body = await rest(jp_fetch, "POST", "check", {"role_arn": ROLE, "engine": "local"})
    # Then botocore tried 5 times (each time the check made the call), and the panel gets a 502
    # saying which call failed and what to do
    hits = scene.injected[f"{fault}:{call}"]
    assert hits >= 5 and hits % 5 == 0, hits
    assert code == 502, body
    assert body["error_code"] == "endpoint_unreachable", body
    assert body["details"]["aws_action"] == call
    if fault == "throttle":
        assert body["details"]["aws_error_code"] == "Throttling"
        assert "throttling" in body["message"]
    if fault == "server_error":
        assert body["details"]["aws_error_code"] == "ServiceFailure"
    assert "try again" in body["message"] or "check your network" in body["message"], body["message"]
    text = json.dumps(body)
    assert "Traceback" not in text and "botocore" not in text
