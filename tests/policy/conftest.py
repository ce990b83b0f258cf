"""Helpers for the evaluator's tests: decide one condition through the public ``evaluate``."""

from __future__ import annotations

import pytest

from jupyter_nbjob_iam.policy import Request, Result, evaluate

KEY = "test:Key"


def decide_condition(operator: str, policy_values, request_value, extra_context=None) -> Result:
    """Evaluate an Allow whose only condition is ``{operator: {KEY: policy_values}}``.

    ``request_value`` None means the request does not carry the key; a str is single-valued and a
    list multivalued.
    """
    context = dict(extra_context or {})
    if request_value is not None:
        context[KEY] = request_value
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "svc:Act", "Resource": "*", "Condition": {operator: {KEY: policy_values}}}
        ],
    }
    return evaluate(Request("svc:Act", "*", context=context), [policy])


@pytest.fixture
def decide():
    """``decide(operator, policy_values, request_value) -> Result`` for one condition on ``test:Key``."""
    return decide_condition


@pytest.fixture
def holds():
    """``holds(operator, policy_values, request_value) -> bool``; fails the test on any policy error."""

    def check(operator, policy_values, request_value, extra_context=None) -> bool:
        result = decide_condition(operator, policy_values, request_value, extra_context)
        assert result.errors == (), result.explain()
        return result.decision == "allowed"

    return check
