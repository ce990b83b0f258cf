"""Who is calling: ``sts:GetCallerIdentity``, mapped to the IAM principal whose policies apply."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..errors import AccessDeniedError, AwsError
from .arns import split_path_name
from .roles import classify_role, get_role_raw
from .session import AwsSession

ROOT_WARNING = (
    "You are signed in as the account's root user. IAM policies do not apply to root, so there "
    "is nothing to check or fix for your own permissions; AWS recommends an IAM user or role for "
    "daily work (and the scheduler then needs that identity's permissions)."
)
FEDERATED_REASON = (
    "A federated user session (sts:GetFederationToken) gets its permissions from the IAM user that "
    "created it, narrowed by a session policy: change that user's policies instead."
)
ROOT_REASON = "The root user has no IAM policies to change."


@dataclass(frozen=True)
class Identity:
    """The caller, and the IAM principal (user or role) whose policies decide what it may do.

    ``principal_arn`` is the IAM user/role ARN with its real path (for an assumed role read with
    ``iam:GetRole``), usable as ``PolicySourceArn``; None for root and federated users.
    ``editable`` is None when unknown (``iam:GetRole`` refused). ``warnings`` are plain sentences
    for the person (root sign-in, role path unknown, ...).
    """

    arn: str
    kind: str  # user | assumed-role | sso-role | federated-user | root | service-linked-role
    account: str
    principal_arn: str | None
    principal_type: str | None  # "user" | "role" | None
    principal_name: str | None
    path: str | None
    editable: bool | None
    not_editable_reason: str | None
    user_id: str = ""
    session_name: str | None = None
    partition: str = "aws"
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["warnings"] = list(self.warnings)
        return out


def _assumed_role(sess: AwsSession, arn: str, account: str, partition: str, user_id: str) -> Identity:
    # arn:aws:sts::ACCT:assumed-role/ROLE/SESSION : the role's path is not in it; ask IAM.
    resource = arn.split(":", 5)[5]
    _, role_name, session_name = (resource.split("/", 2) + ["", ""])[:3]
    warnings: list[str] = []
    try:
        raw = get_role_raw(sess, role_name)
    except AccessDeniedError as exc:
        raw = None
        warnings.append(
            f"iam:GetRole was refused for your role `{role_name}`, so its path (and whether it "
            "may be changed) is unknown; its ARN is assumed to have no path. "
            f"({exc.details.get('aws_error_code', 'AccessDenied')})"
        )
    else:
        if raw is None:
            warnings.append(
                f"Your session's role `{role_name}` was not found with iam:GetRole (deleted, or in "
                "another account); its ARN is assumed to have no path."
            )
    if raw is not None:
        principal_arn = raw["Arn"]
        path = raw.get("Path") or "/"
        kind, editable, reason = classify_role(role_name, path)
        kind = "assumed-role" if kind == "role" else kind
        editable_value: bool | None = editable
    else:
        # The documented fallback: not a fact about the role, flagged in warnings, path unknown.
        principal_arn = f"arn:{partition}:iam::{account}:role/{role_name}"
        path = None
        kind, editable, reason = classify_role(role_name, None)
        kind = "assumed-role" if kind == "role" else kind
        editable_value = False if not editable else None
        if editable_value is None:
            reason = "Unknown: iam:GetRole was refused or found nothing."
    return Identity(
        arn=arn,
        kind=kind,
        account=account,
        principal_arn=principal_arn,
        principal_type="role",
        principal_name=role_name,
        path=path,
        editable=editable_value,
        not_editable_reason=reason,
        user_id=user_id,
        session_name=session_name or None,
        partition=partition,
        warnings=tuple(warnings),
    )


def identity_from_caller(sess: AwsSession, caller: dict[str, str]) -> Identity:
    """Build the :class:`Identity` for a GetCallerIdentity answer (may call ``iam:GetRole``)."""
    arn = caller["Arn"]
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        raise AwsError(f"AWS returned an identity ARN that could not be read: {arn}", details={"arn": arn})
    partition, service, account, resource = parts[1], parts[2], parts[4], parts[5]
    account = caller.get("Account") or account
    user_id = caller.get("UserId", "")
    common: dict[str, Any] = {"arn": arn, "account": account, "user_id": user_id, "partition": partition}

    if resource == "root":
        return Identity(
            kind="root",
            principal_arn=None,
            principal_type=None,
            principal_name=None,
            path=None,
            editable=False,
            not_editable_reason=ROOT_REASON,
            warnings=(ROOT_WARNING,),
            **common,
        )
    if resource.startswith("user/"):
        # IAM users: GetCallerIdentity returns the user ARN with its path. (moto answers
        # arn:aws:sts::ACCT:user/moto for keys it did not issue: same shape, other service.)
        path, name = split_path_name(resource)
        principal_arn = arn if service == "iam" else f"arn:{partition}:iam::{account}:{resource}"
        return Identity(
            kind="user",
            principal_arn=principal_arn,
            principal_type="user",
            principal_name=name,
            path=path,
            editable=True,
            not_editable_reason=None,
            **common,
        )
    if resource.startswith("assumed-role/"):
        return _assumed_role(sess, arn, account, partition, user_id)
    if resource.startswith("federated-user/"):
        return Identity(
            kind="federated-user",
            principal_arn=None,
            principal_type=None,
            principal_name=resource.split("/", 1)[1],
            path=None,
            editable=False,
            not_editable_reason=FEDERATED_REASON,
            warnings=(
                "Federated user sessions carry a session policy that cannot be read back: the "
                "check covers only what can be read.",
            ),
            **common,
        )
    raise AwsError(
        f"AWS returned an identity of a kind this tool does not know: {arn}",
        error_code="unknown_identity",
        details={"arn": arn},
    )


def get_identity(sess: AwsSession) -> Identity:
    """Who the session's credentials belong to (``sts:GetCallerIdentity``, then ``iam:GetRole``
    for an assumed role). Credential problems raise ``CredentialsError``."""
    return identity_from_caller(sess, sess.caller_identity())
