"""Turn every botocore failure into one of the project's error types, in words a person can act on.

Nothing else in ``aws/`` catches botocore exceptions by hand: calls run inside ``aws_errors(...)``
(or go through :func:`translate`), so one table decides what a failure means:

- no / partial / expired credentials, an expired SSO login, an unknown profile -> ``CredentialsError``
  (an unknown profile the person *typed* is an ``InputError``; see ``session.py``);
- AccessDenied -> ``AccessDeniedError`` with the denied action and resource read out of AWS's message;
- NoSuchEntity -> ``NotFoundError``;
- unreachable endpoint, timeouts, throttling past the retries, AWS 5xx -> ``EndpointError``;
- anything else -> ``AwsError`` with ``details["aws_error_code"]``.

Every message and detail is scrubbed of access key ids, secret keys and session tokens.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from botocore import exceptions as bce
from botocore.parsers import ResponseParserError

from ..errors import (
    AccessDeniedError,
    AwsError,
    CredentialsError,
    EndpointError,
    InputError,
    NbJobIamError,
    NotFoundError,
)

ACCESS_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "AuthorizationError",
        "UnauthorizedAccess",
    }
)
NOT_FOUND_CODES = frozenset({"NoSuchEntity", "NoSuchEntityException"})
THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "SlowDown",
        "PriorRequestNotComplete",
    }
)
CREDENTIAL_CODES = frozenset(
    {
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "UnrecognizedClientException",
        "InvalidAccessKeyId",
        "AuthFailure",
        "InvalidToken",
        "MissingAuthenticationToken",
        "IncompleteSignature",
    }
)

# "User: ARN is not authorized to perform: ACTION on resource: RES because ..." (IAM, STS, most
# services). The resource part and the reason part are both optional (moto omits them).
_DENIED_RE = re.compile(
    r"(?P<principal>arn:[^\s]+)\s+is not authorized to perform:\s*(?P<action>[\w-]+:[\w*?-]+)"
    r"(?:\s+on resource:\s*(?P<resource>.+?))?"
    r"(?:\s+(?P<reason>because\b.*|with an explicit deny\b.*))?\s*\.?\s*$",
    re.DOTALL,
)
_DENIED_BY = (
    ("service control policy", "scp"),
    ("resource control policy", "rcp"),
    ("permissions boundary", "permissions-boundary"),
    ("session policy", "session-policy"),
    ("resource-based policy", "resource-policy"),
    ("identity-based policy", "identity-policy"),
    ("vpc endpoint policy", "vpc-endpoint-policy"),
)

# Credential material that must never reach a message: key ids (AKIA... long-term, ASIA...
# temporary), and long base64 runs (secret keys are 40 chars, session tokens hundreds).
_KEY_ID_RE = re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}\b")
_BLOB_RE = re.compile(r"[A-Za-z0-9/+=]{40,}")
_SECRET_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
REDACTED = "[redacted]"


def _looks_secret(blob: str) -> bool:
    # A secret key or token mixes cases and digits or carries '+'/'/': an ARN path segment or a
    # word does not.  (ARNs never reach this test whole: ':' and '-' break the run.)
    classes = sum(
        (
            any(c.islower() for c in blob),
            any(c.isupper() for c in blob),
            any(c.isdigit() for c in blob),
            any(c in "+/=" for c in blob),
        )
    )
    return classes >= 3


def scrub(text: str) -> str:
    """Remove access key ids, secret keys and session tokens from ``text``."""
    if not text:
        return text
    for var in _SECRET_ENV:
        value = os.environ.get(var)
        if value and len(value) >= 8:
            text = text.replace(value, REDACTED)
    text = _KEY_ID_RE.sub(REDACTED, text)
    return _BLOB_RE.sub(lambda m: REDACTED if _looks_secret(m.group(0)) else m.group(0), text)


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: _scrub_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_value(v) for v in value]
    return value


def parse_access_denied(message: str) -> dict[str, str]:
    """Read principal, action, resource and reason out of AWS's AccessDenied message.

    Returns only the parts found: ``{}`` when the message has another shape.
    """
    match = _DENIED_RE.search(message or "")
    if not match:
        return {}
    out = {k: v.strip() for k, v in match.groupdict().items() if v}
    reason = out.get("reason", "").lower()
    for needle, source in _DENIED_BY:
        if needle in reason:
            out["denied_by"] = source
            break
    out["explicit_deny"] = "true" if "explicit deny" in reason else "false"
    return out


def _sso_message(profile: str | None) -> str:
    login = f"aws sso login --profile {profile}" if profile else "aws sso login"
    return f"Your AWS SSO login has expired or is missing: run `{login}` and try again."


def _client_error(exc: bce.ClientError, action: str | None, profile: str | None) -> NbJobIamError:
    error: Mapping[str, Any] = exc.response.get("Error") or {}
    code = str(error.get("Code") or "Unknown")
    aws_message = str(error.get("Message") or error.get("message") or "")
    metadata: Mapping[str, Any] = exc.response.get("ResponseMetadata") or {}
    status = metadata.get("HTTPStatusCode")
    action = action or exc.operation_name
    details: dict[str, Any] = {"aws_error_code": code, "aws_action": action}
    if status:
        details["http_status"] = status
    if aws_message:
        details["aws_message"] = aws_message

    if code in ACCESS_DENIED_CODES:
        parsed = parse_access_denied(aws_message)
        denied_action = parsed.get("action") or action
        details["denied_action"] = denied_action
        if "resource" in parsed:
            details["denied_resource"] = parsed["resource"]
        if "principal" in parsed:
            details["principal_arn"] = parsed["principal"]
        if "denied_by" in parsed:
            details["denied_by"] = parsed["denied_by"]
        who = parsed.get("principal", "your AWS identity")
        on = f" on {parsed['resource']}" if "resource" in parsed else ""
        if parsed.get("explicit_deny") == "true":
            why = parsed.get("reason", "an explicit deny").removeprefix("with ")
            hint = f"It is blocked by {why}; only an administrator can lift that."
        else:
            hint = "Ask an administrator to allow it, or pick a profile that has this permission."
        return AccessDeniedError(
            f"AWS refused {action}: {who} is not allowed to perform {denied_action}{on}. {hint}",
            details=details,
        )
    if code in NOT_FOUND_CODES:
        return NotFoundError(aws_message or f"{action}: the entity does not exist.", details=details)
    if code in THROTTLING_CODES:
        return EndpointError(
            f"AWS kept throttling {action} ({code}) even after retries: wait a minute and try again.",
            details=details,
        )
    if code in CREDENTIAL_CODES:
        if code.startswith("ExpiredToken"):
            text = "Your AWS credentials have expired"
        else:
            text = f"AWS did not accept your credentials ({code})"
        where = f" for profile `{profile}`" if profile else ""
        return CredentialsError(
            f"{text}{where}: refresh them (for SSO run `aws sso login"
            f"{' --profile ' + profile if profile else ''}`) or pick another profile.",
            details=details,
        )
    if isinstance(status, int) and status >= 500:
        return EndpointError(
            f"AWS had an internal problem answering {action} ({code}): try again shortly.",
            details=details,
        )
    text = f"AWS refused {action} ({code})"
    if aws_message:
        text += f": {aws_message}"
    return AwsError(text, details=details)


def translate(exc: BaseException, *, action: str | None = None, profile: str | None = None) -> NbJobIamError:
    """Return the project's error for a botocore exception (``exc`` itself if already ours).

    ``action`` is the AWS action being called (``"iam:GetRole"``); ``profile`` the profile in use,
    so the SSO hint names it. Non-botocore exceptions become a generic ``AwsError``.
    """
    if isinstance(exc, NbJobIamError):
        return exc
    details: dict[str, Any] = {}
    if action:
        details["aws_action"] = action
    if profile:
        details["profile"] = profile
    err: NbJobIamError
    if isinstance(exc, bce.ClientError):
        err = _client_error(exc, action, profile)
        if profile:
            err.details.setdefault("profile", profile)
    elif isinstance(exc, bce.UnauthorizedSSOTokenError | bce.SSOTokenLoadError | bce.TokenRetrievalError):
        err = CredentialsError(_sso_message(profile), error_code="sso_login_expired", details=details)
    elif isinstance(exc, bce.SSOError):
        err = CredentialsError(
            f"AWS SSO sign-in failed: {exc}. Run `aws sso login"
            f"{' --profile ' + profile if profile else ''}` and try again.",
            details=details,
        )
    elif isinstance(exc, bce.NoCredentialsError):
        err = CredentialsError(
            "No AWS credentials were found. Set up a profile (`aws configure` or `aws configure sso`) "
            "and choose it, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
            details=details,
        )
    elif isinstance(exc, bce.PartialCredentialsError):
        missing = exc.kwargs.get("cred_var", "part of the credentials")
        source = exc.kwargs.get("provider", "your configuration")
        err = CredentialsError(
            f"Incomplete AWS credentials in {source}: {missing} is missing.",
            details={**details, "missing": missing, "provider": source},
        )
    elif isinstance(exc, bce.CredentialRetrievalError):
        source = exc.kwargs.get("provider", "the credential provider")
        err = CredentialsError(
            f"Could not get AWS credentials from {source}: {exc.kwargs.get('error_msg', exc)}",
            details={**details, "provider": source},
        )
    elif isinstance(exc, bce.ProfileNotFound):
        name = exc.kwargs.get("profile", profile)
        err = CredentialsError(
            f"The AWS profile `{name}` does not exist in your AWS config or credentials files.",
            error_code="profile_not_found",
            details={**details, "profile": name},
        )
    elif isinstance(exc, getattr(bce, "LoginError", ())):
        login = f"aws login --profile {profile}" if profile else "aws login"
        err = CredentialsError(
            f"Your AWS console sign-in session has expired: run `{login}` and try again.",
            error_code="login_expired",
            details=details,
        )
    elif isinstance(exc, bce.InvalidConfigError):
        err = CredentialsError(
            f"Your AWS profile configuration is invalid: {exc}",
            details=details,
        )
    elif isinstance(exc, bce.ConfigParseError):
        path = exc.kwargs.get("path", "your AWS config file")
        err = CredentialsError(
            f"Your AWS config file {path} could not be read: fix its syntax.",
            details={**details, "path": path},
        )
    elif isinstance(exc, bce.NoRegionError | bce.InvalidRegionError | bce.UnknownRegionError):
        err = InputError(
            "No valid AWS region is set: choose one, or set AWS_REGION (for example us-east-1).",
            details=details,
        )
    elif isinstance(exc, bce.ConnectTimeoutError | bce.ReadTimeoutError):
        endpoint: object = exc.kwargs.get("endpoint_url", "AWS")
        err = EndpointError(
            f"{endpoint} did not answer in time{f' ({action})' if action else ''}: "
            "check your network or proxy and try again.",
            details={**details, "endpoint_url": endpoint},
        )
    elif isinstance(exc, bce.EndpointConnectionError | bce.ConnectionClosedError | bce.ConnectionError):
        endpoint = exc.kwargs.get("endpoint_url", "AWS")
        err = EndpointError(
            f"Could not connect to {endpoint}: check your network, proxy or AWS_ENDPOINT_URL.",
            details={**details, "endpoint_url": endpoint},
        )
    elif isinstance(exc, bce.ParamValidationError):
        err = InputError(f"Invalid value for {action or 'an AWS call'}: {exc}", details=details)
    elif isinstance(exc, ResponseParserError):
        err = AwsError(
            f"AWS (or the configured endpoint) sent an answer to {action or 'a call'} that could not be read.",
            details=details,
        )
    else:
        err = AwsError(
            f"Unexpected error calling AWS{f' ({action})' if action else ''}: {type(exc).__name__}: {exc}",
            details=details,
        )
    err.message = scrub(err.message)
    err.args = (err.message,)
    err.details = _scrub_value(err.details)
    return err


@contextmanager
def aws_errors(action: str | None = None, profile: str | None = None) -> Iterator[None]:
    """Run a block of AWS calls; any botocore failure leaves as the project's error."""
    try:
        yield
    except (bce.BotoCoreError, bce.ClientError, ResponseParserError) as exc:
        raise translate(exc, action=action, profile=profile) from exc


def is_access_denied(exc: BaseException) -> bool:
    return isinstance(exc, bce.ClientError) and (exc.response.get("Error", {}).get("Code") in ACCESS_DENIED_CODES)


def is_not_found(exc: BaseException) -> bool:
    return isinstance(exc, bce.ClientError) and (exc.response.get("Error", {}).get("Code") in NOT_FOUND_CODES)
