"""The catalog together with the project's own evaluator (jupyter_nbjob_iam.policy).

- The packaged identity policies pass ``validate_policy`` (what the loader runs at load).
- Every concrete request is allowed by the guide's own statement, and by nothing less: the requests
  and their context are exactly what the guide's policies grant.
"""

from __future__ import annotations

import copy

import pytest

from jupyter_nbjob_iam.catalog import Scope, build_requests, guide_policy, required_statements
from jupyter_nbjob_iam.catalog import statements as statements_module
from jupyter_nbjob_iam.policy import Request, evaluate, validate_policy

ACCOUNT = "123456789012"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SCOPES = [
    Scope(
        ACCOUNT,
        "us-east-1",
        f"arn:aws:iam::{ACCOUNT}:user/notebook-users/ada",
        role_arn=f"arn:aws:iam::{ACCOUNT}:role/service-role/SagemakerJupyterSchedulerRole",
    ),
    Scope(ACCOUNT, "eu-west-1", f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_X_1"),
]


def test_the_loader_uses_the_evaluators_validator():
    assert statements_module._validator() is validate_policy


@pytest.mark.parametrize("kind", ["identity", "role"])
def test_packaged_identity_policies_are_valid(kind):
    assert validate_policy(guide_policy(kind)) == []


def test_kms_policy_is_valid_once_the_key_is_in():
    (stmt,) = required_statements("kms", KEY)
    assert validate_policy({"Version": "2012-10-17", "Statement": [stmt.statement]}) == []
    # The guide's placeholder itself is not an ARN: the loader validates with a real key in its place.
    assert validate_policy(guide_policy("kms")) != []


def _ask(request, policies):
    return evaluate(
        Request(
            action=request.action,
            resource=request.resource,
            principal=request.context["aws:PrincipalArn"],
            context=request.context,
        ),
        policies=policies,
    )


@pytest.mark.parametrize("scope", SCOPES, ids=["user", "sso-role"])
@pytest.mark.parametrize("target", ["identity", "role", "kms"])
def test_each_request_is_allowed_by_its_own_statement_alone(scope, target):
    for stmt in required_statements(target, KEY):
        own = {"Version": "2012-10-17", "Statement": [stmt.statement]}
        for r in build_requests(stmt, scope):
            result = _ask(r, [own])
            assert result.decision == "allowed", (stmt.sid, r.action, r.resource, result.missing_context)
            assert not result.missing_context


def test_a_statement_without_its_condition_value_does_not_allow():
    (stmt,) = [s for s in required_statements("identity") if s.sid == "EventBridgeSchedule"]
    narrowed = copy.deepcopy(stmt.statement)
    narrowed["Condition"]["StringEquals"]["aws:ResourceTag/sagemaker:is-scheduling-notebook-job"] = "false"
    r = build_requests(stmt, SCOPES[0])[0]
    assert _ask(r, [{"Version": "2012-10-17", "Statement": [narrowed]}]).decision == "implicitDeny"
    (passrole,) = [s for s in required_statements("identity") if s.sid == "IAMPassrole"]
    only_sagemaker = copy.deepcopy(passrole.statement)
    only_sagemaker["Condition"]["StringLike"]["iam:PassedToService"] = "sagemaker.amazonaws.com"
    decisions = [
        _ask(r, [{"Version": "2012-10-17", "Statement": [only_sagemaker]}]).decision
        for r in build_requests(passrole, SCOPES[0])
    ]
    assert decisions == ["allowed", "implicitDeny"]
