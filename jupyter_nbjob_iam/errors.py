"""The project's error types.

Services raise these; the Tornado base handler and the CLI turn them into one JSON shape
(``{message, reason, error_code, details}``) or a one-line reason and exit code 2. Each class carries
its HTTP status and a stable ``error_code`` so callers (the panel, tests) branch on the code, never on
the message text.
"""

from __future__ import annotations

from typing import Any

from .error_codes import ERROR_CODES


class NbJobIamError(Exception):
    """Base class: an error a person can act on, with a plain-words message."""

    status: int = 500
    error_code: str = "internal_error"
    reason: str = "Internal error"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Every code is listed in error_codes.py (and so in docs/API.md and the panel's union).
        super().__init_subclass__(**kwargs)
        if cls.error_code not in ERROR_CODES:
            raise TypeError(f"{cls.__name__}.error_code {cls.error_code!r} is not in error_codes.ERROR_CODES")

    def __init__(
        self,
        message: str,
        *,
        error_code: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if error_code:
            self.error_code = error_code
        self.details = dict(details or {})

    def to_json(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "reason": self.reason,
            "error_code": self.error_code,
            "details": self.details,
        }


class InputError(NbJobIamError):
    """Bad input from the person: a malformed ARN, a wrong field type, an unknown profile."""

    status = 400
    error_code = "invalid_input"
    reason = "Bad Request"


class NotFoundError(NbJobIamError):
    """A named AWS entity does not exist (unknown role, unknown backup)."""

    status = 404
    error_code = "not_found"
    reason = "Not Found"


class ConflictError(NbJobIamError):
    """The live state changed since the plan was made; nothing was written."""

    status = 409
    error_code = "plan_conflict"
    reason = "Conflict"


class AwsError(NbJobIamError):
    """AWS refused the call or could not be reached. ``details['aws_error_code']`` names AWS's code."""

    status = 502
    error_code = "aws_error"
    reason = "Bad Gateway"


class CredentialsError(AwsError):
    """No usable credentials: none configured, expired SSO token, unknown profile."""

    error_code = "credentials"


class AccessDeniedError(AwsError):
    """AWS answered AccessDenied; ``details`` carries ``action`` when it could be read."""

    error_code = "access_denied"


class EndpointError(AwsError):
    """The AWS endpoint could not be reached, timed out or kept throttling past the retries."""

    error_code = "endpoint_unreachable"


class DeadlineError(NbJobIamError):
    """The request ran past its deadline; ``details['step']`` names the step that was slow (an AWS call
    such as ``iam:GetRole``, or a stage such as verifying the fix)."""

    status = 504
    error_code = "deadline_exceeded"
    reason = "Gateway Timeout"


class PayloadTooLargeError(NbJobIamError):
    """The request body is larger than any valid request; it was not parsed."""

    status = 413
    error_code = "body_too_large"
    reason = "Payload Too Large"
