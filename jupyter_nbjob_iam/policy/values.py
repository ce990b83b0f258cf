"""Readers for request and policy values: numbers, dates, booleans, base64 binary, IP addresses.

Each returns None for text it cannot read, so the caller decides: a policy value it cannot read is
an error, a request value it cannot read never matches.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_EPOCH = re.compile(r"[+-]?\d+(\.\d+)?", re.ASCII)
_YEAR_MONTH = re.compile(r"(\d{4})(?:-(\d{2}))?", re.ASCII)  # W3C "YYYY" and "YYYY-MM"
_ISO_DATE = re.compile(
    r"(\d{4})-?(\d{2})-?(\d{2})"
    r"(?:[Tt ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,
)


@lru_cache(maxsize=4096)
def read_number(text: str) -> Decimal | None:
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return None


def _zone(text: str | None) -> timezone:
    if text is None or text in ("Z", "z"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
    return timezone(sign * timedelta(minutes=minutes))


@lru_cache(maxsize=4096)
def read_date(text: str) -> datetime | None:
    """A date/time in one of the W3C profile's ISO 8601 formats or epoch seconds, as an aware datetime.

    The W3C formats: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, then ``Thh:mm``, ``:ss`` and ``.s`` with a
    zone (``Z`` or ``+hh:mm``; UTC when left out). Exactly four digits are a year (``2024``), not
    epoch second 2024 of 1970: the W3C list names that format, and no one means 00:33 on
    1 January 1970. Any other run of digits (with an optional fraction) is epoch seconds.
    """
    text = text.strip()
    try:
        year_month = _YEAR_MONTH.fullmatch(text)
        if year_month:
            year, month = year_month.groups()
            return datetime(int(year), int(month or 1), 1, tzinfo=timezone.utc)
        if _EPOCH.fullmatch(text):
            return datetime.fromtimestamp(float(text), tz=timezone.utc)
        found = _ISO_DATE.fullmatch(text)
        if not found:
            return None
        year, month, day, hour, minute, second, fraction, zone = found.groups()
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            micro,
            tzinfo=_zone(zone),
        )
    except (ValueError, OverflowError, OSError):
        return None


def read_bool(text: str) -> bool | None:
    lowered = text.strip().lower()
    return {"true": True, "false": False}.get(lowered)


@lru_cache(maxsize=1024)
def read_binary(text: str) -> bytes | None:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None


@lru_cache(maxsize=1024)
def read_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None
