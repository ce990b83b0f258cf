"""The wrappers around base operators: ForAllValues:, ForAnyValue:, ...IfExists, and a plain
operator on a multivalued key; plus which absent keys are reported as missing context.

From AWS's "Single-valued vs. multivalued context keys" and condition operator pages.
"""

from __future__ import annotations

import pytest

ABSENT = None
KEY = "test:Key"  # the key conftest's helpers put the condition on


@pytest.mark.parametrize(
    ("operator", "policy", "request_value", "expected"),
    [
        # ForAllValues: every request value must match one policy value; absent or empty is true
        ("ForAllValues:StringEquals", ["a", "b"], ["a"], True),
        ("ForAllValues:StringEquals", ["a", "b"], ["a", "b"], True),
        ("ForAllValues:StringEquals", ["a", "b"], ["a", "c"], False),
        ("ForAllValues:StringEquals", ["a", "b"], [], True),
        ("ForAllValues:StringEquals", ["a", "b"], ABSENT, True),
        ("ForAllValues:StringEquals", ["a", "b"], "a", True),  # a single value is a one-element set
        ("ForAllValues:StringEquals", ["a", "b"], "c", False),
        ("ForAllValues:StringLike", "key1*", ["key1:a", "key1:b"], True),
        ("ForAllValues:StringNotLike", "key1*", ["key1:legal"], False),
        ("ForAllValues:StringNotLike", "key1*", ["key2:audit"], True),
        ("ForAllValues:StringNotLike", "key1*", ["key1:hr", "key2:x"], False),
        ("ForAllValues:StringNotLike", "key1*", ABSENT, True),
        ("ForAllValues:NumericLessThan", "10", ["1", "2", "9"], True),
        ("ForAllValues:NumericLessThan", "10", ["1", "20"], False),
        # ForAnyValue: at least one request value must match; absent or empty is false
        ("ForAnyValue:StringEquals", ["a", "b"], ["c", "a"], True),
        ("ForAnyValue:StringEquals", ["a", "b"], ["c"], False),
        ("ForAnyValue:StringEquals", ["a", "b"], [], False),
        ("ForAnyValue:StringEquals", ["a", "b"], ABSENT, False),
        ("ForAnyValue:StringEquals", ["a", "b"], "a", True),
        ("ForAnyValue:StringNotEquals", "a", ["a", "b"], True),
        ("ForAnyValue:StringNotEquals", "a", ["a"], False),
        ("ForAnyValue:StringNotEquals", "a", ABSENT, False),
        ("ForAnyValue:IpAddress", "10.0.0.0/8", ["192.168.0.1", "10.2.3.4"], True),
        # a plain operator on a multivalued key: any value; a negated one: no value
        ("StringEquals", "b", ["a", "b"], True),
        ("StringEquals", "c", ["a", "b"], False),
        ("StringEquals", "a", [], False),
        ("StringNotEquals", "b", ["a", "b"], False),
        ("StringNotEquals", "c", ["a", "b"], True),
        # ...IfExists: true when absent, the wrapped operator otherwise
        ("StringEqualsIfExists", "a", ABSENT, True),
        ("StringEqualsIfExists", "a", "a", True),
        ("StringEqualsIfExists", "a", "b", False),
        ("StringNotEqualsIfExists", "a", ABSENT, True),
        ("StringNotEqualsIfExists", "a", "a", False),
        ("NumericLessThanIfExists", "10", "5", True),
        ("NumericLessThanIfExists", "10", "20", False),
        ("NumericLessThanIfExists", "10", ABSENT, True),
        ("DateLessThanIfExists", "2020-01-01", ABSENT, True),
        ("BoolIfExists", "false", ABSENT, True),
        ("BoolIfExists", "false", "true", False),
        ("BinaryEqualsIfExists", "AAAA", ABSENT, True),
        ("IpAddressIfExists", "10.0.0.0/8", ABSENT, True),
        ("IpAddressIfExists", "10.0.0.0/8", "11.0.0.1", False),
        ("NotIpAddressIfExists", "10.0.0.0/8", ABSENT, True),
        ("ArnLikeIfExists", "arn:aws:iam::*:role/*", ABSENT, True),
        ("ArnNotLikeIfExists", "arn:aws:iam::*:role/*", "arn:aws:iam::1:role/x", False),
        ("ForAnyValue:StringEqualsIfExists", "a", ABSENT, True),
        ("ForAnyValue:StringEqualsIfExists", "a", ["b"], False),
        ("ForAllValues:StringEqualsIfExists", "a", ["a", "b"], False),
        # names are read case-insensitively
        ("forallvalues:stringequals", ["a", "b"], ["a"], True),
        ("FORANYVALUE:STRINGLIKE", "a*", ["x", "ab"], True),
        ("stringequalsifexists", "a", ABSENT, True),
    ],
)
def test_qualified_operators(holds, operator, policy, request_value, expected):
    assert holds(operator, policy, request_value) is expected


@pytest.mark.parametrize(
    ("operator", "reported"),
    [
        ("StringEquals", True),
        ("StringNotEquals", True),  # holds on an absent key, but a real value could change that
        ("ForAllValues:StringEquals", True),
        ("ForAnyValue:StringEquals", True),
        ("Null", True),
        ("StringEqualsIfExists", False),
        ("ForAnyValue:StringEqualsIfExists", False),
        ("StringNotLikeIfExists", False),
    ],
)
def test_absent_key_is_reported_as_missing_context_except_under_ifexists(decide, operator, reported):
    policy_value = "true" if operator == "Null" else "a"
    result = decide(operator, policy_value, None)
    assert (KEY in result.missing_context) is reported
