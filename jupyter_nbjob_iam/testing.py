"""A fault-injecting service, chosen by configuration, for UI tests and demos of the error paths.

    c.NbJobIamApp.service_class = "jupyter_nbjob_iam.testing.FaultInjectingService"
    c.FaultInjectingService.faults = {"check": "sso_login_expired"}
    c.FaultInjectingService.aws_faults = {"iam:PutUserPolicy": "AccessDenied"}

``faults`` makes a service method fail before it does anything, with the error a person would get
(expired SSO login, no credentials, unreachable endpoint, ...). ``aws_faults`` is closer to the
truth: the named AWS call answers with that AWS error code, so the real code path handles it (an
AccessDenied on a write yields the hand-off, exactly as with real AWS).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from traitlets import Dict

from .aws import AwsSession
from .aws.faults import inject_aws_fault
from .errors import AccessDeniedError, CredentialsError, EndpointError, NbJobIamError, NotFoundError
from .service import NbJobIamService


def _fault(code: str, method: str, profile: str | None) -> NbJobIamError:
    login = f"aws sso login --profile {profile or 'default'}"
    table: dict[str, Callable[[], NbJobIamError]] = {
        "sso_login_expired": lambda: CredentialsError(
            f"Your AWS SSO login has expired. Run `{login}` in a terminal, then try again.",
            error_code="sso_login_expired",
            details={"profile": profile, "command": login},
        ),
        "no_credentials": lambda: CredentialsError(
            "No AWS credentials were found. Configure a profile (`aws configure`) or log in, then try again.",
            error_code="credentials",
        ),
        "access_denied": lambda: AccessDeniedError(
            "AWS refused iam:PutUserPolicy: you are not allowed to change your own permissions.",
            details={"action": "iam:PutUserPolicy", "aws_error_code": "AccessDenied"},
        ),
        "endpoint_unreachable": lambda: EndpointError(
            "AWS could not be reached (connection refused). Check your network or proxy settings.",
            details={"aws_error_code": "EndpointConnectionError"},
        ),
        "role_not_found": lambda: NotFoundError(
            "The role does not exist in this account.", error_code="role_not_found"
        ),
    }
    if code not in table:
        raise ValueError(f"unknown fault {code!r} for {method}; known: {', '.join(sorted(table))}")
    return table[code]()


class FaultInjectingService(NbJobIamService):
    """The real service, with configured failures."""

    faults = Dict({}, config=True, help="Service method name -> fault (sso_login_expired, access_denied, ...).")
    aws_faults = Dict({}, config=True, help="AWS call ('iam:PutUserPolicy') -> AWS error code it answers with.")

    def session(self, profile: str | None = None, region: str | None = None, deadline: Any = None) -> AwsSession:
        session = super().session(profile, region, deadline)
        for call, code in self.aws_faults.items():
            inject_aws_fault(session, call, code)
        return session

    def _maybe_fail(self, method: str, profile: str | None = None) -> None:
        code = self.faults.get(method)
        if code:
            raise _fault(code, method, profile or self.default_profile)


def _wrap(name: str) -> Callable[..., Any]:
    original = getattr(NbJobIamService, name)

    def method(self: FaultInjectingService, *args: Any, **kwargs: Any) -> Any:
        first = args[0] if args else None
        profile = first if isinstance(first, str) and name in ("context", "identity", "roles") else None
        profile = getattr(first, "profile", profile)
        self._maybe_fail(name, profile)
        return original(self, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = original.__doc__
    return method


for _name in ("context", "identity", "roles", "check", "plan", "apply", "undo"):
    setattr(FaultInjectingService, _name, _wrap(_name))
