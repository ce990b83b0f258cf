"""The evaluator's public API: shapes other parts rely on, and "never raises on user data"."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest

from jupyter_nbjob_iam.policy import (
    Policy,
    Request,
    Result,
    compile_policies,
    evaluate,
    parse_policy,
    validate_policy,
)

GUIDE_USER_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "IAMPassrole",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": "arn:aws:iam::*:role/*",
            "Condition": {"StringLike": {"iam:PassedToService": ["sagemaker.amazonaws.com", "events.amazonaws.com"]}},
        },
        {"Sid": "IAMListRoles", "Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"},
    ],
}
PASS_ROLE = Request(
    "iam:PassRole", "arn:aws:iam::123456789012:role/Exec", context={"iam:PassedToService": "events.amazonaws.com"}
)


def test_request_and_result_are_frozen_dataclasses():
    result = evaluate(PASS_ROLE, [GUIDE_USER_POLICY])
    assert dataclasses.is_dataclass(Request) and dataclasses.is_dataclass(Result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.decision = "allowed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        PASS_ROLE.action = "s3:GetObject"  # type: ignore[misc]


def test_result_names_the_deciding_statement_and_explains_itself():
    # Given the guide's policy as the second of two policies
    result = evaluate(PASS_ROLE, [{"Version": "2012-10-17", "Statement": []}, GUIDE_USER_POLICY])

    # Then the match carries the policy index, statement index, Sid and effect
    assert result.decision == "allowed" and result.allowed
    (match,) = result.matched
    assert (match.policy_index, match.statement_index, match.sid, match.effect, match.boundary) == (
        1,
        0,
        "IAMPassrole",
        "Allow",
        False,
    )
    assert "policy 1, statement 'IAMPassrole'" in result.explain()
    assert result.explanation == result.explain()


def test_boundary_statements_and_errors_say_they_come_from_the_boundary():
    boundary = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Gate", "Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"},
            {"Sid": "Bad", "Effect": "Allow", "Action": "iam:*", "Resource": "*", "Principal": "*"},
        ],
    }
    result = evaluate(PASS_ROLE, [GUIDE_USER_POLICY], permissions_boundary=boundary)
    assert result.decision == "explicitDeny"
    assert [(m.sid, m.boundary) for m in result.matched] == [("Gate", True)]
    assert result.errors and all(error.boundary for error in result.errors)
    assert str(result.errors[0]).startswith("permissions boundary: statement 1 ('Bad')")
    assert "the permissions boundary, statement 'Gate'" in result.explain()


def test_missing_context_is_in_the_explanation():
    result = evaluate(Request("iam:PassRole", "arn:aws:iam::123456789012:role/Exec"), [GUIDE_USER_POLICY])
    assert result.missing_context == ("iam:PassedToService",)
    assert "iam:PassedToService" in result.explain()


def test_parsed_policies_decide_like_documents_and_are_reused():
    compiled = compile_policies([GUIDE_USER_POLICY, json.dumps(GUIDE_USER_POLICY)])
    assert all(isinstance(policy, Policy) for policy in compiled)
    assert parse_policy(compiled[0]) is compiled[0]
    assert parse_policy(json.dumps(GUIDE_USER_POLICY)) is compiled[1]  # JSON text is parsed once
    assert evaluate(PASS_ROLE, compiled) == evaluate(PASS_ROLE, [GUIDE_USER_POLICY, GUIDE_USER_POLICY])


def test_validate_policy_accepts_the_guides_policy_and_names_problems():
    assert validate_policy(GUIDE_USER_POLICY) == []
    assert validate_policy(json.dumps(GUIDE_USER_POLICY)) == []
    problems = validate_policy(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": "*",
                    "Condition": {"IpAddress": {"aws:SourceIp": "x"}},
                },
                {"Sid": "Two", "Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"},
            ],
        }
    )
    assert len(problems) == 2
    assert problems[0].startswith("statement 0: condition IpAddress on 'aws:SourceIp'")
    assert problems[1].startswith("statement 1 ('Two'): 'Effect' must be")
    assert all(isinstance(problem, str) for problem in problems)


@pytest.mark.parametrize(
    ("request_", "policies", "boundary"),
    [
        (PASS_ROLE, [None, 42, "x", [], {"Statement": 5}, {"Statement": [None]}], 3),
        (PASS_ROLE, 12345, None),  # not iterable at all
        (Request(None, None), [GUIDE_USER_POLICY], None),  # type: ignore[arg-type]
        (Request("iam:PassRole", "*", context="not a mapping"), [GUIDE_USER_POLICY], None),  # type: ignore[arg-type]
        (Request("iam:PassRole", "*", context={1: "x", "k": object()}), [GUIDE_USER_POLICY], None),  # type: ignore[dict-item]
        ({"action": "iam:PassRole"}, [GUIDE_USER_POLICY], None),
        (PASS_ROLE, [b"\xff\xfe not utf-8"], None),
        (
            PASS_ROLE,
            [
                {
                    "Version": "2012-10-17",
                    "Statement": {
                        "Effect": "Allow",
                        "Action": "*",
                        "Resource": "*",
                        "Condition": {"DateLessThan": {"k": [[1]]}},
                    },
                }
            ],
            None,
        ),
    ],
)
def test_evaluate_never_raises_and_never_allows_on_garbage(request_, policies, boundary):
    result = evaluate(request_, policies, boundary)  # type: ignore[arg-type]
    assert isinstance(result, Result)
    assert result.decision == "implicitDeny"
    assert result.errors
    assert result.explain()


def test_a_single_document_in_place_of_the_list_is_still_read_and_none_is_no_policies():
    assert evaluate(PASS_ROLE, GUIDE_USER_POLICY).decision == "allowed"  # type: ignore[arg-type]
    nothing = evaluate(PASS_ROLE, None)  # type: ignore[arg-type]
    assert (nothing.decision, nothing.errors) == ("implicitDeny", ())


def test_the_evaluator_imports_neither_boto3_nor_jupyter():
    code = (
        "import sys, jupyter_nbjob_iam.policy as p; "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('boto3', 'botocore', 'jupyter_server', 'tornado', 'jupyterlab', 'traitlets')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
