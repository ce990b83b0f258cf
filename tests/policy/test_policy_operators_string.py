"""String condition operators, from AWS's "IAM JSON policy elements: Condition operators" page.

Each row: operator, the policy's value(s), the request's value (None = the key is absent), whether
the condition holds.
"""

from __future__ import annotations

import pytest

ABSENT = None


@pytest.mark.parametrize(
    ("operator", "policy", "request_value", "expected"),
    [
        # StringEquals: exact matching, case sensitive
        ("StringEquals", "iamuser-admin", "iamuser-admin", True),
        ("StringEquals", "iamuser-admin", "IAMUSER-ADMIN", False),
        ("StringEquals", "iamuser-admin", "iamuser-admin2", False),
        ("StringEquals", "iamuser-admin", ABSENT, False),
        ("StringEquals", ["a", "b"], "b", True),
        ("StringEquals", "", "", True),
        ("StringEquals", "a*", "abc", False),  # no wildcards in StringEquals
        ("StringEquals", "a*", "a*", True),
        # StringNotEquals: negated matching; several values are a NOR; an absent key holds
        ("StringNotEquals", "audit", "audit", False),
        ("StringNotEquals", "audit", "dev", True),
        ("StringNotEquals", ["audit", "security"], "security", False),
        ("StringNotEquals", ["audit", "security"], "dev", True),
        ("StringNotEquals", "audit", ABSENT, True),
        ("StringNotEquals", "audit", "AUDIT", True),
        # StringEqualsIgnoreCase / StringNotEqualsIgnoreCase
        ("StringEqualsIgnoreCase", "Data", "dATA", True),
        ("StringEqualsIgnoreCase", "Data", "data-eng", False),
        ("StringEqualsIgnoreCase", "Data", ABSENT, False),
        ("StringNotEqualsIgnoreCase", "Data", "DATA", False),
        ("StringNotEqualsIgnoreCase", "Data", "web", True),
        ("StringNotEqualsIgnoreCase", "Data", ABSENT, True),
        # StringLike: case-sensitive, * and ? anywhere
        ("StringLike", "home/*", "home/alice/x", True),
        ("StringLike", "home/*", "home/", True),
        ("StringLike", "home/*", "hom", False),
        ("StringLike", "home/*", "Home/alice", False),
        ("StringLike", "t?.micro", "t2.micro", True),
        ("StringLike", "t?.micro", "t22.micro", False),
        ("StringLike", "*", "", True),
        ("StringLike", "a*c", "a\nb\nc", True),  # * spans newlines too
        ("StringLike", "a.c", "abc", False),  # regex characters are literal
        ("StringLike", "[ab]", "a", False),
        ("StringLike", ["x*", "*z"], "abz", True),
        ("StringLike", "home/*", ABSENT, False),
        # StringNotLike
        ("StringNotLike", "home/*", "home/a", False),
        ("StringNotLike", "home/*", "other/a", True),
        ("StringNotLike", ["a*", "b*"], "bee", False),
        ("StringNotLike", "home/*", ABSENT, True),
    ],
)
def test_string_operators(holds, operator, policy, request_value, expected):
    assert holds(operator, policy, request_value) is expected


@pytest.mark.parametrize(
    ("policy", "request_value", "expected"),
    [
        (True, "true", True),  # JSON scalars are compared as their IAM text
        (10, "10", True),
        (10, "10.0", False),  # a string operator compares text, not numbers
        (1.5, "1.5", True),
    ],
)
def test_json_scalars_in_string_conditions(holds, policy, request_value, expected):
    assert holds("StringEquals", policy, request_value) is expected
