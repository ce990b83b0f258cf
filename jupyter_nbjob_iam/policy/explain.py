"""A decision in plain words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import (
    ALLOWED,
    EXPLICIT_DENY,
    REASON_BOUNDARY,
    REASON_UNREADABLE,
    MatchedStatement,
)

if TYPE_CHECKING:
    from .model import Result


def _labels(statements: tuple[MatchedStatement, ...] | list[MatchedStatement]) -> str:
    labels = [statement.label() for statement in statements]
    return labels[0] if len(labels) == 1 else "; ".join(labels)


def explain(result: Result) -> str:
    request = result.request
    what = f"{request.action} on {request.resource}" if request is not None else "the request"
    identity = [m for m in result.matched if not m.boundary]
    boundary = [m for m in result.matched if m.boundary]
    if result.decision == EXPLICIT_DENY:
        text = f"Explicitly denied: {_labels(result.matched)} denies {what}; an explicit deny overrides any allow."
    elif result.decision == ALLOWED:
        text = f"Allowed: {_labels(identity)} allows {what}"
        text += f", and the permissions boundary allows it too ({_labels(boundary)})." if boundary else "."
    elif result.reason == REASON_BOUNDARY:
        text = f"Implicitly denied: {_labels(identity)} allows {what}, but the permissions boundary does not."
    elif result.reason == REASON_UNREADABLE and result.matched:
        text = (
            f"Not reported as allowed: {_labels(identity)} would allow {what}, but part of the input could not "
            "be read (see the problems) and it might deny the request."
        )
    elif result.reason == REASON_UNREADABLE:
        text = f"Implicitly denied: the request for {what} could not be evaluated."
    else:
        text = f"Implicitly denied: no statement allows {what}."
    if result.missing_context:
        keys = ", ".join(result.missing_context)
        text += f" The answer depends on context the request did not carry: {keys}."
    if result.errors:
        text += " Problems: " + "; ".join(str(error) for error in result.errors) + "."
    return text
