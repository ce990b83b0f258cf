"""Make one AWS call of a session answer with a given AWS error (for fault-injection in tests).

It hooks botocore's ``before-call`` event of that session only, so the real code path (retries,
error translation, hand-off) handles the error exactly as it would a real AWS answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError


def inject_aws_fault(session: Any, call: str, code: str, message: str | None = None) -> None:
    """``call`` is ``"iam:PutUserPolicy"``; ``code`` an AWS error code such as ``"AccessDenied"``."""
    service, _, operation = call.partition(":")
    if not service or not operation:
        raise ValueError(f"expected SERVICE:Operation, got {call!r}")
    text = message or f"User: arn:aws:iam::000000000000:user/fault-injection is not authorized to perform: {call}"
    session.boto_session.events.register(f"before-call.{service}.{operation}", _raiser(code, text, operation))


def _raiser(code: str, message: str, operation: str) -> Callable[..., Any]:
    def handler(**_: Any) -> None:
        raise ClientError({"Error": {"Code": code, "Message": message}}, operation)

    return handler
