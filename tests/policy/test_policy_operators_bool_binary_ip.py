"""Bool, BinaryEquals and IP address condition operators, from AWS's condition operator reference."""

from __future__ import annotations

import base64

import pytest

ABSENT = None
BLOB = "QmluYXJ5VmFsdWVJbkJhc2U2NA=="  # the AWS docs' example value


@pytest.mark.parametrize(
    ("operator", "policy", "request_value", "expected"),
    [
        ("Bool", "true", "true", True),
        ("Bool", "true", "True", True),
        ("Bool", "true", "false", False),
        ("Bool", "false", "false", True),
        ("Bool", "TRUE", "true", True),
        ("Bool", True, "true", True),
        ("Bool", False, "true", False),
        ("Bool", "true", "yes", False),
        ("Bool", "true", ABSENT, False),
        ("Bool", "false", ABSENT, False),  # an absent key is not "false"
        ("BinaryEquals", BLOB, BLOB, True),
        ("BinaryEquals", BLOB, base64.b64encode(b"BinaryValueInBase64").decode(), True),
        ("BinaryEquals", BLOB, base64.b64encode(b"other").decode(), False),
        ("BinaryEquals", BLOB, "not base64!", False),
        ("BinaryEquals", BLOB, ABSENT, False),
    ],
)
def test_bool_and_binary(holds, operator, policy, request_value, expected):
    assert holds(operator, policy, request_value) is expected


@pytest.mark.parametrize(
    ("operator", "policy", "request_value", "expected"),
    [
        ("IpAddress", "203.0.113.0/24", "203.0.113.0", True),
        ("IpAddress", "203.0.113.0/24", "203.0.113.255", True),
        ("IpAddress", "203.0.113.0/24", "203.0.114.1", False),
        ("IpAddress", "203.0.113.7", "203.0.113.7", True),  # no prefix means /32
        ("IpAddress", "203.0.113.7", "203.0.113.8", False),
        ("IpAddress", "203.0.113.7/24", "203.0.113.200", True),  # host bits are ignored
        ("IpAddress", "2001:DB8:1234:5678::/64", "2001:db8:1234:5678::1", True),
        ("IpAddress", "2001:DB8:1234:5678::/64", "2001:db8:1234:5679::1", False),
        ("IpAddress", "0.0.0.0/0", "2001:db8::1", False),  # an IPv4 range never holds an IPv6 address
        ("IpAddress", ["203.0.113.0/24", "2001:DB8::/32"], "2001:db8::5", True),
        ("IpAddress", "203.0.113.0/24", "not-an-ip", False),
        ("IpAddress", "203.0.113.0/24", ABSENT, False),
        ("NotIpAddress", "10.0.0.0/8", "10.1.1.1", False),
        ("NotIpAddress", "10.0.0.0/8", "11.0.0.1", True),
        ("NotIpAddress", ["10.0.0.0/8", "192.168.0.0/16"], "192.168.1.1", False),
        ("NotIpAddress", "10.0.0.0/8", ABSENT, True),
    ],
)
def test_ip_address(holds, operator, policy, request_value, expected):
    assert holds(operator, policy, request_value) is expected
