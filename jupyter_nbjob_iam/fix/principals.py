"""Who a fix writes to, read out of a check report, and whether it may be written at all.

- identity target: an IAM user gets a user policy; an assumed role gets the role (its real ARN, as
  the report names it in ``identity.principal_arn``);
- role and trust targets: the execution role (``report.role``);
- kms target: the principal the report checked it for (``principal_arn`` of the target), else the
  identity, as the guide attaches its KMS policy "repeating the previous instructions".

Never written, whatever the report says about ``editable``: IAM Identity Center roles
(``AWSReservedSSO_*`` or the ``/aws-reserved/`` path: the permission set is the place), service-linked
roles, the root user and federated users. Each gets a plain reason and what to do instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..aws.arns import parse_iam_principal_arn
from ..aws.identity import FEDERATED_REASON, ROOT_REASON
from ..aws.roles import classify_role, sso_permission_set
from ..errors import InputError
from .shapes import PrincipalRef

RESERVED_PATH_PREFIX = "/aws-reserved/"


@dataclass(frozen=True)
class Principal:
    """A user or role the fix would write to (``blocked`` set when it must not)."""

    type: str  # "user" | "role" | "" (root, federated user, unknown)
    name: str
    arn: str
    path: str
    kind: str  # user | role | sso-role | service-linked-role | root | federated-user | unknown
    blocked: str | None = None
    permission_set: str | None = None

    @property
    def partition(self) -> str:
        return self.arn.split(":")[1] if self.arn.count(":") >= 5 else "aws"

    @property
    def account(self) -> str:
        return self.arn.split(":")[4] if self.arn.count(":") >= 5 else ""

    def ref(self) -> PrincipalRef:
        return {"type": self.type, "name": self.name, "arn": self.arn}

    def describe(self) -> str:
        return f"{self.type or self.kind} {self.name or self.arn}".strip()


def _from_arn(arn: str) -> Principal | None:
    try:
        parsed = parse_iam_principal_arn(arn, kinds=("user", "role"))
    except InputError:
        return None
    if parsed.kind == "user":
        return Principal("user", parsed.name, parsed.arn, parsed.path, "user")
    kind, editable, reason = classify_role(parsed.name, parsed.path)
    if parsed.path.startswith(RESERVED_PATH_PREFIX) and kind == "role":
        kind, editable = "sso-role", False
        reason = "This role lives under the /aws-reserved/ path: AWS manages it and IAM refuses changes to it."
    return Principal(
        "role",
        parsed.name,
        parsed.arn,
        parsed.path,
        kind,
        None if editable else reason,
        sso_permission_set(parsed.name) if kind == "sso-role" else None,
    )


def _unwritable(arn: str, kind: str, reason: str) -> Principal:
    return Principal("", "", arn or "", "", kind, reason)


def identity_principal(report: dict[str, Any]) -> Principal:
    identity = report.get("identity") or {}
    kind = str(identity.get("kind") or "unknown")
    arn = str(identity.get("principal_arn") or identity.get("arn") or "")
    if kind == "root":
        return _unwritable(arn, kind, ROOT_REASON)
    if kind == "federated-user":
        return _unwritable(arn, kind, FEDERATED_REASON)
    principal = _from_arn(str(identity.get("principal_arn") or ""))
    if principal is None:
        return _unwritable(arn, "unknown", "The IAM user or role behind your credentials could not be determined.")
    if kind in ("sso-role", "service-linked-role") and principal.blocked is None:
        principal = Principal(
            principal.type,
            principal.name,
            principal.arn,
            principal.path,
            kind,
            identity.get("not_editable_reason") or "AWS refuses changes to this role.",
            sso_permission_set(principal.name) if kind == "sso-role" else None,
        )
    if principal.blocked is None and identity.get("editable") is False:
        reason = identity.get("not_editable_reason") or "The check found that this identity cannot be changed."
        principal = Principal(principal.type, principal.name, principal.arn, principal.path, principal.kind, reason)
    return principal


def role_principal(report: dict[str, Any]) -> Principal | None:
    role = report.get("role")
    if not role:
        return None
    principal = _from_arn(str(role.get("arn") or ""))
    if principal is None:
        return _unwritable(str(role.get("arn") or ""), "unknown", "The execution role's ARN could not be read.")
    if principal.blocked is None and role.get("editable") is False:
        reason = role.get("not_editable_reason") or "The check found that this role cannot be changed."
        principal = Principal(principal.type, principal.name, principal.arn, principal.path, principal.kind, reason)
    return principal


def target_principal(report: dict[str, Any], target: dict[str, Any]) -> Principal | None:
    """The principal a report target's statements belong to."""
    name = target.get("target")
    if name in ("role", "trust"):
        return role_principal(report)
    if name == "kms":
        arn = target.get("principal_arn")
        role = report.get("role") or {}
        if arn and arn == role.get("arn"):
            return role_principal(report)
    return identity_principal(report)


def assert_writable(principal: dict[str, Any]) -> None:
    """Last guard before any write: never an SSO, reserved-path or service-linked role, whatever a
    stored plan says. Raises ``InputError`` (nothing is called)."""
    found = _from_arn(str(principal.get("arn") or ""))
    if found is None or found.blocked:
        reason = found.blocked if found is not None else "the principal's ARN could not be read"
        raise InputError(
            f"The fix does not write to {principal.get('arn')}: {reason}",
            error_code="principal_not_writable",
            details={"principal_arn": principal.get("arn")},
        )
