"""ARN and Null condition operators, from AWS's condition operator reference.

ArnEquals/ArnLike behave identically: each of the six colon-separated parts is matched on its own,
case-sensitively, with * and ? allowed. Null "true" means the key is absent.
"""

from __future__ import annotations

import pytest

ABSENT = None
ROLE = "arn:aws:iam::123456789012:role/Exec"


@pytest.mark.parametrize(
    ("operator", "policy", "request_value", "expected"),
    [
        ("ArnEquals", ROLE, ROLE, True),
        ("ArnEquals", ROLE, "arn:aws:iam::123456789012:role/exec", False),  # case-sensitive
        ("ArnEquals", "arn:aws:iam::*:role/*", ROLE, True),  # ArnEquals takes wildcards too
        ("ArnLike", "arn:aws:iam::*:role/*", ROLE, True),
        ("ArnLike", "arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:user/Exec", False),
        ("ArnLike", "arn:aws:sns:us-east-?:123456789012:t", "arn:aws:sns:us-east-1:123456789012:t", True),
        ("ArnLike", "arn:aws:sns:*:123456789012:t", "arn:aws:sns:us-east-1:999999999999:x:123456789012:t", False),
        # the last part (the resource) spans colons
        ("ArnLike", "arn:aws:logs:*:*:log-group:*", "arn:aws:logs:us-east-1:1:log-group:a:b", True),
        ("ArnLike", "arn:*:s3:::bucket", "arn:aws-cn:s3:::bucket", True),
        ("ArnLike", "arn:aws:iam::*:role/*", "not-an-arn", False),
        ("ArnLike", "arn:aws:iam::*:role/*", ABSENT, False),
        ("ArnNotEquals", ROLE, ROLE, False),
        ("ArnNotEquals", ROLE, "arn:aws:iam::123456789012:role/Other", True),
        ("ArnNotLike", "arn:aws:iam::*:role/Admin*", "arn:aws:iam::123456789012:role/AdminX", False),
        ("ArnNotLike", "arn:aws:iam::*:role/Admin*", "arn:aws:iam::123456789012:role/dev", True),
        ("ArnNotLike", "arn:aws:iam::*:role/Admin*", ABSENT, True),
    ],
)
def test_arn_operators(holds, operator, policy, request_value, expected):
    assert holds(operator, policy, request_value) is expected


@pytest.mark.parametrize(
    ("policy", "request_value", "expected"),
    [
        ("true", ABSENT, True),
        ("true", "2024-01-01T00:00:00Z", False),
        ("true", [], True),  # an empty set of values counts as absent
        ("false", "x", True),
        ("false", ABSENT, False),
        ("false", ["a"], True),
        (True, ABSENT, True),
        (["true", "false"], ABSENT, True),
        (["true", "false"], "x", True),
    ],
)
def test_null(holds, policy, request_value, expected):
    assert holds("Null", policy, request_value) is expected
