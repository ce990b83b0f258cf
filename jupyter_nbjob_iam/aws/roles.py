"""IAM roles: look one up by name or ARN, list them, and say whether we may ever write to them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import unquote

from ..errors import InputError, NotFoundError
from .arns import ROLE_NAME_RE, parse_iam_principal_arn
from .session import AwsSession

SSO_PATH_PREFIX = "/aws-reserved/sso.amazonaws.com/"
SSO_NAME_PREFIX = "AWSReservedSSO_"
SERVICE_LINKED_PATH_PREFIX = "/aws-service-role/"

SSO_REASON = (
    "This role belongs to IAM Identity Center (AWS SSO): IAM refuses direct changes to it. "
    "The change belongs in its permission set{ps}, made by an Identity Center administrator."
)
SERVICE_LINKED_REASON = "This is a service-linked role, owned by an AWS service: its policies cannot be changed."


def sso_permission_set(name: str) -> str | None:
    """``AWSReservedSSO_<PermissionSet>_<hex>`` -> ``<PermissionSet>`` (None if not that shape)."""
    if not name.startswith(SSO_NAME_PREFIX):
        return None
    rest = name[len(SSO_NAME_PREFIX) :]
    head, sep, tail = rest.rpartition("_")
    return head if sep and head and tail else rest or None


def classify_role(name: str, path: str | None) -> tuple[str, bool, str | None]:
    """``(kind, editable, not_editable_reason)`` with kind ``sso-role`` | ``service-linked-role``
    | ``role``, from the role's name and path (path None = unknown)."""
    if name.startswith(SSO_NAME_PREFIX) or (path or "").startswith(SSO_PATH_PREFIX):
        ps = sso_permission_set(name)
        return "sso-role", False, SSO_REASON.format(ps=f" `{ps}`" if ps else "")
    if (path or "").startswith(SERVICE_LINKED_PATH_PREFIX):
        return "service-linked-role", False, SERVICE_LINKED_REASON
    return "role", True, None


def decode_document(value: Any) -> Any:
    """A policy document as a dict: boto3 already decodes IAM's URL-encoded JSON; a string that
    still is JSON (or URL-encoded JSON) is decoded; anything else is returned as is, so the
    evaluator can report it as malformed instead of us guessing."""
    if isinstance(value, dict):
        return value
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        for candidate in (value, unquote(value)):
            try:
                decoded = json.loads(candidate)
            except ValueError:
                continue
            if isinstance(decoded, dict):
                return decoded
    return value


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _action_is_assume_role(action: Any) -> bool:
    return any(str(a).lower() in ("sts:assumerole", "sts:*", "*") for a in _as_list(action))


def _names_service(principal: Any, service: str) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    if "*" in _as_list(principal.get("AWS")):
        return True
    return service in [str(s) for s in _as_list(principal.get("Service"))]


def trusts_service(trust_policy: Any, service: str) -> bool:
    """A quick look: does the trust policy let ``service`` call ``sts:AssumeRole``?

    True when some Allow statement with ``sts:AssumeRole`` names the service principal (or ``*``)
    and no Deny statement does. Conditions are ignored: the checker's evaluator does the real work.
    """
    doc = decode_document(trust_policy)
    if not isinstance(doc, dict):
        return False
    allowed = False
    for stmt in _as_list(doc.get("Statement")):
        if not isinstance(stmt, dict) or not _action_is_assume_role(stmt.get("Action")):
            continue
        if not _names_service(stmt.get("Principal"), service):
            continue
        effect = stmt.get("Effect")
        if effect == "Deny":
            return False
        if effect == "Allow":
            allowed = True
    return allowed


@dataclass(frozen=True)
class Role:
    """An IAM role as the checker needs it.

    ``boundary_arn`` is None when the role has no boundary *or* it was not read (``list_roles``:
    ListRoles does not return boundaries; ``get_role`` does).
    """

    arn: str
    name: str
    path: str
    trust_policy: dict[str, Any]
    boundary_arn: str | None
    editable: bool
    not_editable_reason: str | None
    trusts_sagemaker: bool
    trusts_events: bool
    kind: str = "role"  # "role" | "sso-role" | "service-linked-role"
    account: str = ""
    role_id: str = ""
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Role:
        name = raw["RoleName"]
        path = raw.get("Path") or "/"
        trust = decode_document(raw.get("AssumeRolePolicyDocument") or {})
        trust_dict = trust if isinstance(trust, dict) else {}
        kind, editable, reason = classify_role(name, path)
        boundary = (raw.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
        arn = raw["Arn"]
        return cls(
            arn=arn,
            name=name,
            path=path,
            trust_policy=trust_dict,
            boundary_arn=boundary,
            editable=editable,
            not_editable_reason=reason,
            trusts_sagemaker=trusts_service(trust_dict, "sagemaker.amazonaws.com"),
            trusts_events=trusts_service(trust_dict, "events.amazonaws.com"),
            kind=kind,
            account=arn.split(":")[4] if arn.count(":") >= 5 else "",
            role_id=raw.get("RoleId", ""),
            description=raw.get("Description", "") or "",
            tags={t["Key"]: t.get("Value", "") for t in raw.get("Tags", []) or []},
        )


def _caller_partition_account(sess: AwsSession) -> tuple[str, str]:
    arn = sess.caller_identity()["Arn"]
    parts = arn.split(":")
    return parts[1], parts[4]


def get_role(sess: AwsSession, name_or_arn: str) -> Role:
    """The role named ``name_or_arn`` (a role name or a full role ARN) in the caller's account.

    ``InputError`` for a malformed name/ARN, an ARN of another service, resource type, partition or
    account, or an ARN whose path is not the role's; ``NotFoundError`` when no such role exists.
    """
    text = (name_or_arn or "").strip() if isinstance(name_or_arn, str) else ""
    if not text:
        raise InputError("Give an execution role: its name or its ARN.", details={"role": name_or_arn})
    given_arn = None
    if text.startswith("arn:"):
        given_arn = parse_iam_principal_arn(text, kinds=("role",))
        partition, account = _caller_partition_account(sess)
        if given_arn.partition != partition:
            raise InputError(
                f"The role ARN is in the '{given_arn.partition}' partition, but your credentials are "
                f"for '{partition}'.",
                details={"role_arn": text, "partition": partition},
            )
        if given_arn.account != account:
            raise InputError(
                f"The role {text} belongs to account {given_arn.account}, but you are signed in to "
                f"account {account}: choose a role of your account, or a profile of that account.",
                error_code="role_in_other_account",
                details={"role_arn": text, "account": account, "role_account": given_arn.account},
            )
        name = given_arn.name
    else:
        if "/" in text or ":" in text or not ROLE_NAME_RE.match(text):
            raise InputError(
                f"'{text}' is neither a role name (letters, digits and +=,.@_-, at most 64) nor a "
                "role ARN (arn:aws:iam::123456789012:role/Name).",
                details={"role": text},
            )
        name = text
    try:
        with sess.errors("iam:GetRole"):
            raw = sess.client("iam").get_role(RoleName=name)["Role"]
    except NotFoundError as exc:
        raise NotFoundError(
            f"There is no IAM role named `{name}` in this account.",
            error_code="role_not_found",
            details={**exc.details, "role": text, "role_name": name},
        ) from exc
    role = Role.from_api(raw)
    if given_arn is not None and role.arn != given_arn.arn:
        raise InputError(
            f"The ARN {text} does not match the role `{name}`, whose ARN is {role.arn} "
            f"(path {role.path}): use that ARN.",
            error_code="role_arn_mismatch",
            details={"role_arn": text, "actual_arn": role.arn, "path": role.path},
        )
    return role


def get_role_raw(sess: AwsSession, name: str) -> dict[str, Any] | None:
    """``iam:GetRole``'s ``Role``; None when there is no such role (other failures raise)."""
    try:
        with sess.errors("iam:GetRole"):
            return sess.client("iam").get_role(RoleName=name)["Role"]
    except NotFoundError:
        return None


def list_roles(sess: AwsSession, path_prefix: str = "/") -> list[Role]:
    """Every role of the account (``iam:ListRoles``, paginated), in AWS's order."""
    roles: list[Role] = []
    with sess.errors("iam:ListRoles"):
        paginator = sess.client("iam").get_paginator("list_roles")
        for page in paginator.paginate(PathPrefix=path_prefix or "/"):
            roles.extend(Role.from_api(raw) for raw in page.get("Roles", []))
    return roles


__all__ = [
    "Role",
    "classify_role",
    "decode_document",
    "get_role",
    "list_roles",
    "sso_permission_set",
    "trusts_service",
]
