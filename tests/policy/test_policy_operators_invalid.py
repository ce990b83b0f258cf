"""Condition operators and values the evaluator cannot read: each is an error naming the problem,
and the statement never allows."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("operator", "policy", "message"),
    [
        ("StringEqualz", "a", "unknown condition operator 'StringEqualz'"),
        ("IfExists", "a", "unknown condition operator"),
        ("NullIfExists", "true", "Null takes neither IfExists"),
        ("ForAllValues:Null", "true", "Null takes neither IfExists nor a set qualifier"),
        ("ForSomeValues:StringEquals", "a", "unknown condition qualifier 'ForSomeValues'"),
        ("NumericEquals", "ten", "'ten' is not a number"),
        ("NumericLessThan", "", "is not a number"),
        ("NumericLessThan", "NaN", "is not a number"),
        ("DateLessThan", "yesterday", "not an ISO 8601 date/time or epoch seconds"),
        ("DateEquals", "2020-13-45T00:00:00Z", "not an ISO 8601"),
        ("Bool", "yes", 'is not "true" or "false"'),
        ("BinaryEquals", "***", "not base64-encoded"),
        ("IpAddress", "300.1.1.1/8", "not an IPv4 or IPv6 address"),
        ("NotIpAddress", "10.0.0.0/33", "not an IPv4 or IPv6 address"),
        ("IpAddress", "2001:db8::/129", "not an IPv4 or IPv6 address"),
        ("ArnLike", "role/*", "is not an ARN"),
        ("ArnEquals", "*", "is not an ARN"),
        ("Null", "maybe", 'not "true" (key absent) or "false"'),
        ("StringEquals", [], "has no values"),
        ("StringEquals", {"nested": "object"}, "not a string, number or boolean"),
        ("StringEquals", [None], "not a string, number or boolean"),
    ],
)
def test_unreadable_condition_is_an_error(decide, operator, policy, message):
    # Given a condition the evaluator cannot read, on a request that carries the key
    result = decide(operator, policy, "value")

    # Then the answer is never "allowed" and an error names the problem
    assert result.decision == "implicitDeny"
    assert any(message in str(error) for error in result.errors), result.errors


def test_a_variable_substituted_into_an_unreadable_value_never_matches(holds):
    # Bool supports variables; the substituted text "maybe" is not a boolean at all
    assert holds("Bool", "${custom:flag}", "true", {"custom:flag": "maybe"}) is False
    assert holds("Bool", "${custom:flag}", "true", {"custom:flag": "TRUE"}) is True
