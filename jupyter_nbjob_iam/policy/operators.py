"""Condition operators: one table of small base operators, and the wrappers that qualify them.

A base operator turns one policy value into a predicate on one request value (``prepare``), and
says whether it is negated (``StringNotEquals`` is ``StringEquals`` negated). The wrappers decide
how the predicates combine over the request's values:

- plain: OR across policy values and request values; a negated operator is a NOR; a key the
  request lacks never matches (so a negated operator on it is true);
- ``ForAllValues:``: every request value must satisfy the operator; true when the key is absent
  or empty;
- ``ForAnyValue:``: at least one request value must; false when the key is absent or empty;
- ``...IfExists``: true when the key is absent, otherwise the wrapped operator.

A single-valued request value is a one-element set for the set qualifiers.
"""

from __future__ import annotations

import ipaddress
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from .values import read_binary, read_bool, read_date, read_ip, read_number
from .variables import joined
from .wildcard import Segment, arn_test, glob_test

Predicate = Callable[[str], bool]
Run = Callable[["tuple[str, ...] | None", Sequence[Predicate]], bool]


class PolicyValueError(ValueError):
    """A condition value the operator cannot read; the message is plain words."""


@dataclass(frozen=True)
class BaseOperator:
    name: str
    prepare: Callable[[tuple[Segment, ...]], Predicate]
    negated: bool = False
    variables: bool = False  # policy variables are substituted in its values
    presence: bool = False  # Null: the predicate is on "the key is absent", not on a value
    glob: bool = False  # its values are wildcard patterns, so several can share one ``any_test``
    placeholder: str = "x"  # stands for a variable when the shape of a value is checked at parse time

    # A value's shape is checked once at parse time with each variable replaced by the placeholder;
    # the substituted value is checked again per request (see ``ConditionEntry.predicates_for``).


# -- base operators, one small function per family -----------------------------------------------


def _string(compare: Callable[[str, str], bool]) -> Callable[[tuple[Segment, ...]], Predicate]:
    def prepare(segments: tuple[Segment, ...]) -> Predicate:
        expected = joined(segments)
        return lambda value: compare(value, expected)

    return prepare


def _string_like(segments: tuple[Segment, ...]) -> Predicate:
    return glob_test(segments)


def _numeric(compare: Callable[[Decimal, Decimal], bool]) -> Callable[[tuple[Segment, ...]], Predicate]:
    def prepare(segments: tuple[Segment, ...]) -> Predicate:
        text = joined(segments)
        expected = read_number(text)
        if expected is None:
            raise PolicyValueError(f"'{text}' is not a number")

        def test(value: str) -> bool:
            number = read_number(value)
            return number is not None and compare(number, expected)

        return test

    return prepare


def _date(compare: Callable[[datetime, datetime], bool]) -> Callable[[tuple[Segment, ...]], Predicate]:
    def prepare(segments: tuple[Segment, ...]) -> Predicate:
        text = joined(segments)
        expected = read_date(text)
        if expected is None:
            raise PolicyValueError(f"'{text}' is not an ISO 8601 date/time or epoch seconds")

        def test(value: str) -> bool:
            moment = read_date(value)
            return moment is not None and compare(moment, expected)

        return test

    return prepare


def _bool(segments: tuple[Segment, ...]) -> Predicate:
    text = joined(segments)
    expected = read_bool(text)
    if expected is None:
        raise PolicyValueError(f'\'{text}\' is not "true" or "false"')
    return lambda value: read_bool(value) is expected


def _binary(segments: tuple[Segment, ...]) -> Predicate:
    text = joined(segments)
    expected = read_binary(text)
    if expected is None:
        raise PolicyValueError(f"'{text}' is not base64-encoded binary")
    return lambda value: read_binary(value) == expected


def _ip(segments: tuple[Segment, ...]) -> Predicate:
    text = joined(segments).strip()
    try:
        network = ipaddress.ip_network(text, strict=False)  # a bare address is a /32 (or /128)
    except ValueError:
        raise PolicyValueError(f"'{text}' is not an IPv4 or IPv6 address or CIDR range") from None

    def test(value: str) -> bool:
        address = read_ip(value)
        return address is not None and address.version == network.version and address in network

    return test


# An ARN operator's variable may stand for a whole ARN (``${aws:PrincipalArn}``), so at parse time it
# stands in as one; the real value is checked after substitution.
_ARN_PLACEHOLDER = "arn:aws:placeholder:placeholder:placeholder:placeholder"


def _arn(segments: tuple[Segment, ...]) -> Predicate:
    if sum(text.count(":") for text, _ in segments) < 5:
        raise PolicyValueError(f"'{joined(segments)}' is not an ARN (arn:partition:service:region:account:resource)")
    return arn_test(segments)


def _null(segments: tuple[Segment, ...]) -> Predicate:
    text = joined(segments)
    expected = read_bool(text)
    if expected is None:
        raise PolicyValueError(f'\'{text}\' is not "true" (key absent) or "false" (key present)')
    return lambda absent: absent == expected  # type: ignore[comparison-overlap]


def _equal_ignoring_case(left: str, right: str) -> bool:
    return left.lower() == right.lower()


_eq, _lt, _le, _gt, _ge = operator.eq, operator.lt, operator.le, operator.gt, operator.ge

_TABLE: tuple[BaseOperator, ...] = (
    BaseOperator("StringEquals", _string(_eq), variables=True),
    BaseOperator("StringNotEquals", _string(_eq), negated=True, variables=True),
    BaseOperator("StringEqualsIgnoreCase", _string(_equal_ignoring_case), variables=True),
    BaseOperator("StringNotEqualsIgnoreCase", _string(_equal_ignoring_case), negated=True, variables=True),
    BaseOperator("StringLike", _string_like, variables=True, glob=True),
    BaseOperator("StringNotLike", _string_like, negated=True, variables=True, glob=True),
    BaseOperator("NumericEquals", _numeric(_eq)),
    BaseOperator("NumericNotEquals", _numeric(_eq), negated=True),
    BaseOperator("NumericLessThan", _numeric(_lt)),
    BaseOperator("NumericLessThanEquals", _numeric(_le)),
    BaseOperator("NumericGreaterThan", _numeric(_gt)),
    BaseOperator("NumericGreaterThanEquals", _numeric(_ge)),
    BaseOperator("DateEquals", _date(_eq)),
    BaseOperator("DateNotEquals", _date(_eq), negated=True),
    BaseOperator("DateLessThan", _date(_lt)),
    BaseOperator("DateLessThanEquals", _date(_le)),
    BaseOperator("DateGreaterThan", _date(_gt)),
    BaseOperator("DateGreaterThanEquals", _date(_ge)),
    BaseOperator("Bool", _bool, variables=True, placeholder="true"),
    BaseOperator("BinaryEquals", _binary),
    BaseOperator("IpAddress", _ip),
    BaseOperator("NotIpAddress", _ip, negated=True),
    BaseOperator("ArnEquals", _arn, variables=True, placeholder=_ARN_PLACEHOLDER),
    BaseOperator("ArnLike", _arn, variables=True, placeholder=_ARN_PLACEHOLDER),
    BaseOperator("ArnNotEquals", _arn, negated=True, variables=True, placeholder=_ARN_PLACEHOLDER),
    BaseOperator("ArnNotLike", _arn, negated=True, variables=True, placeholder=_ARN_PLACEHOLDER),
    BaseOperator("Null", _null, presence=True),
)
OPERATORS: dict[str, BaseOperator] = {op.name.lower(): op for op in _TABLE}


# -- how predicates combine over the request's values --------------------------------------------


def _hit(value: str, predicates: Sequence[Predicate]) -> bool:
    return any(predicate(value) for predicate in predicates)


def plain(negated: bool) -> Run:
    def run(values: tuple[str, ...] | None, predicates: Sequence[Predicate]) -> bool:
        if not values:
            return negated
        found = any(_hit(value, predicates) for value in values)
        return not found if negated else found

    return run


def for_all_values(negated: bool) -> Run:
    def run(values: tuple[str, ...] | None, predicates: Sequence[Predicate]) -> bool:
        if not values:
            return True
        return all(_hit(value, predicates) != negated for value in values)

    return run


def for_any_value(negated: bool) -> Run:
    def run(values: tuple[str, ...] | None, predicates: Sequence[Predicate]) -> bool:
        if not values:
            return False
        return any(_hit(value, predicates) != negated for value in values)

    return run


def if_exists(inner: Run) -> Run:
    def run(values: tuple[str, ...] | None, predicates: Sequence[Predicate]) -> bool:
        return True if values is None else inner(values, predicates)

    return run


def presence(values: tuple[str, ...] | None, predicates: Sequence[Predicate]) -> bool:
    """``Null``: the predicates are on whether the key is absent (an empty list counts as absent)."""
    absent = not values
    return any(predicate(absent) for predicate in predicates)  # type: ignore[arg-type]


_QUALIFIERS = {"forallvalues": for_all_values, "foranyvalue": for_any_value}


@dataclass(frozen=True)
class CompiledOperator:
    name: str  # as written in the policy
    base: BaseOperator
    run: Run
    if_exists: bool


@lru_cache(maxsize=512)
def compile_operator(name: str) -> CompiledOperator:
    """Read an operator name such as ``ForAnyValue:StringLikeIfExists`` (case-insensitive).

    Raises PolicyValueError naming the problem for an unknown operator or qualifier.
    """
    qualifier = None
    rest = name
    if ":" in name:
        qualifier, rest = name.split(":", 1)
        if qualifier.lower() not in _QUALIFIERS:
            raise PolicyValueError(
                f"unknown condition qualifier '{qualifier}' in '{name}' (use ForAllValues: or ForAnyValue:)"
            )
    lowered = rest.lower()
    exists = lowered.endswith("ifexists") and lowered != "ifexists"
    base = OPERATORS.get(lowered[: -len("ifexists")] if exists else lowered)
    if base is None:
        raise PolicyValueError(f"unknown condition operator '{name}'")
    if base.presence and (exists or qualifier):
        raise PolicyValueError(f"'{name}' is not valid: Null takes neither IfExists nor a set qualifier")
    if base.presence:
        run: Run = presence
    elif qualifier:
        run = _QUALIFIERS[qualifier.lower()](base.negated)
    else:
        run = plain(base.negated)
    if exists:
        run = if_exists(run)
    return CompiledOperator(name, base, run, exists)
