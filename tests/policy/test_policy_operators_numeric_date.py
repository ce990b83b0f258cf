"""Numeric and date condition operators, from AWS's condition operator reference.

Numeric values are integers or decimals; dates are W3C ISO 8601 or epoch seconds. A request value
that cannot be read as a number/date never matches (so only negated operators hold for it).
"""

from __future__ import annotations

import pytest

ABSENT = None


@pytest.mark.parametrize(
    ("operator", "policy", "request_value", "expected"),
    [
        ("NumericEquals", "10", "10", True),
        ("NumericEquals", "10", "10.0", True),
        ("NumericEquals", "10", "11", False),
        ("NumericEquals", "1e3", "1000", True),
        ("NumericEquals", 10, "10", True),
        ("NumericEquals", "10", "ten", False),
        ("NumericEquals", "10", ABSENT, False),
        ("NumericNotEquals", "10", "10", False),
        ("NumericNotEquals", "10", "11", True),
        ("NumericNotEquals", ["10", "11"], "11", False),
        ("NumericNotEquals", "10", ABSENT, True),
        ("NumericLessThan", "10", "9", True),
        ("NumericLessThan", "10", "9.99", True),
        ("NumericLessThan", "10", "-1", True),
        ("NumericLessThan", "10", "10", False),
        ("NumericLessThanEquals", "10", "10", True),
        ("NumericLessThanEquals", "10", "10.01", False),
        ("NumericGreaterThan", "10", "11", True),
        ("NumericGreaterThan", "10", "10", False),
        ("NumericGreaterThanEquals", "10", "10", True),
        ("NumericGreaterThanEquals", "10", "9", False),
        ("NumericGreaterThanEquals", "0.5", ".5", True),
        ("NumericLessThan", ["5", "100"], "50", True),  # OR across policy values
        ("NumericEquals", "10", "\u0661\u0660", False),  # Arabic-Indic digits are not a number to AWS
        ("NumericNotEquals", "10", "\u0661\u0660", True),
    ],
)
def test_numeric_operators(holds, operator, policy, request_value, expected):
    assert holds(operator, policy, request_value) is expected


NEW_YEAR = "2020-01-01T00:00:00Z"


@pytest.mark.parametrize(
    ("operator", "policy", "request_value", "expected"),
    [
        ("DateEquals", NEW_YEAR, "2020-01-01T00:00:00Z", True),
        ("DateEquals", NEW_YEAR, "2020-01-01T01:00:00+01:00", True),  # same instant, other zone
        ("DateEquals", NEW_YEAR, "2020-01-01T00:00:00.000Z", True),
        ("DateEquals", NEW_YEAR, "1577836800", True),  # epoch seconds
        ("DateEquals", "1577836800", NEW_YEAR, True),
        ("DateEquals", NEW_YEAR, "2020-01-01", True),  # a date alone is midnight UTC
        ("DateEquals", NEW_YEAR, "2020-01-01T00:00:01Z", False),
        ("DateEquals", NEW_YEAR, "20200101T000000Z", True),  # ISO 8601 basic format
        ("DateEquals", NEW_YEAR, "not a date", False),
        ("DateEquals", NEW_YEAR, ABSENT, False),
        ("DateNotEquals", NEW_YEAR, "1577836800", False),
        ("DateNotEquals", NEW_YEAR, "2021-01-01T00:00:00Z", True),
        ("DateNotEquals", NEW_YEAR, ABSENT, True),
        ("DateLessThan", NEW_YEAR, "2019-12-31T23:59:59Z", True),
        ("DateLessThan", NEW_YEAR, NEW_YEAR, False),
        ("DateLessThan", NEW_YEAR, "2019-12-31T23:59:59-05:00", False),  # 04:59:59Z on Jan 1
        ("DateLessThanEquals", NEW_YEAR, NEW_YEAR, True),
        ("DateLessThanEquals", NEW_YEAR, "2020-01-01T00:00:00.5Z", False),
        ("DateGreaterThan", "2020-01-01T00:00:01Z", "2020-06-01T00:00:00Z", True),
        ("DateGreaterThan", "2020-01-01T00:00:01Z", "2020-01-01T00:00:01Z", False),
        ("DateGreaterThanEquals", "2020-01-01T00:00:01Z", "2020-01-01T00:00:01Z", True),
        ("DateGreaterThanEquals", "2020-01-01T00:00:01Z", "1577836800", False),
    ],
)
def test_date_operators(holds, operator, policy, request_value, expected):
    assert holds(operator, policy, request_value) is expected
