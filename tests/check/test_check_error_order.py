"""Deterministic errors: when a check fails for several reasons at once, the error does not depend on
which AWS call answered first. Each case runs twice, with one call or the other delayed."""

from __future__ import annotations

import time

import pytest

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.check import check
from jupyter_nbjob_iam.errors import InputError, NbJobIamError, NotFoundError

DELAY = 2.0  # far longer than moto takes to answer, even on a loaded machine
OTHER_ACCOUNT_ROLE = "arn:aws:iam::999999999999:role/Exec"
ROLE_READS = ("GetRole", "ListRolePolicies", "ListAttachedRolePolicies")


def _delayed(operations: dict[str, tuple[str, ...]]) -> AwsSession:
    """A session whose named calls each wait ``DELAY`` before they go out."""
    sess = AwsSession()
    for service, names in operations.items():
        for name in names:
            sess.boto_session.events.register(f"before-call.{service}.{name}", lambda **_: time.sleep(DELAY))
    return sess


def _error(sess: AwsSession, role: str) -> NbJobIamError:
    with pytest.raises(NbJobIamError) as info:
        check(sess, role=role, engine="local", policy_cache={})
    return info.value


@pytest.mark.parametrize(
    "slow",
    [{"sts": ("GetCallerIdentity",)}, {"iam": ROLE_READS}],
    ids=["policy-read-fails-first", "account-check-fails-first"],
)
def test_a_role_of_another_account_is_named_whatever_fails_first(ada, slow):
    # Given a role ARN of another account: the parallel read of its policies (by name, in this
    # account) gets NoSuchEntity, and the ARN's account differs from the caller's
    ada()
    # When either failure comes first
    error = _error(_delayed(slow), OTHER_ACCOUNT_ROLE)
    # Then the person is told about the account, the root cause, every time
    assert isinstance(error, InputError)
    assert error.error_code == "role_in_other_account"
    assert error.details["field"] == "role"


@pytest.mark.parametrize(
    "slow",
    [{"iam": ("GetRole",)}, {"iam": ("ListRolePolicies", "ListAttachedRolePolicies")}],
    ids=["get-role-slow", "policy-lists-slow"],
)
def test_a_missing_role_gives_the_same_error_whichever_call_fails_first(ada, slow):
    # Given a role name that does not exist: iam:GetRole and the policy read both get NoSuchEntity
    ada()
    error = _error(_delayed(slow), "NoSuchRole")
    # Then the error is the same whichever answered first
    assert isinstance(error, NotFoundError)
    assert error.to_json() == _error(AwsSession(), "NoSuchRole").to_json()
    assert error.details["field"] == "role"
