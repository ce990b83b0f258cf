"""Who is checked, and with which role: the inputs validated, then turned into a catalog ``Scope``.

Every malformed input is an ``InputError`` naming the field (``details["field"]``) before any AWS
call is made. The role is looked up with ``iam:GetRole`` (by name, or by ARN once the caller's
account is known, so the check never calls ``sts:GetCallerIdentity`` twice).
"""

from __future__ import annotations

from typing import Any

from ..aws import AwsSession, Identity, Role, get_role, parse_iam_principal_arn
from ..aws.arns import ROLE_NAME_RE
from ..catalog import Scope, validate_kms_key_arn
from ..constants import ENGINES
from ..errors import InputError, NbJobIamError


def _with_field(exc: NbJobIamError, field: str) -> NbJobIamError:
    exc.details.setdefault("field", field)
    return exc


def validate_inputs(role: Any, kms_key_arn: Any, engine: Any) -> tuple[str | None, bool]:
    """``(role text or None, role is an ARN)``; ``InputError`` naming the field otherwise."""
    if engine not in ENGINES:
        raise InputError(
            f"Unknown engine {engine!r}: choose one of {', '.join(ENGINES)}.",
            details={"field": "engine", "value": str(engine)[:80]},
        )
    if kms_key_arn is not None:
        validate_kms_key_arn(kms_key_arn)
    if role is None:
        return None, False
    if not isinstance(role, str):
        raise InputError("The execution role must be a role name or ARN.", details={"field": "role"})
    text = role.strip()
    if not text:
        return None, False
    if text.startswith("arn:"):
        try:
            parse_iam_principal_arn(text, kinds=("role",))
        except InputError as exc:
            raise _with_field(exc, "role") from None
        return text, True
    if "/" in text or ":" in text or not ROLE_NAME_RE.match(text):
        raise InputError(
            f"'{text[:80]}' is neither a role name (letters, digits and +=,.@_-, at most 64) nor a role ARN "
            "(arn:aws:iam::123456789012:role/Name).",
            details={"field": "role", "value": text[:200]},
        )
    return text, False


def role_name(text: str) -> str:
    """The role name of a validated role name or ARN."""
    return parse_iam_principal_arn(text, kinds=("role",)).name if text.startswith("arn:") else text


def fetch_role(session: AwsSession, text: str) -> Role:
    """``iam:GetRole`` for a validated name or ARN; errors name the field ``role``."""
    try:
        return get_role(session, text)
    except NbJobIamError as exc:
        if exc.status in (400, 404):
            raise _with_field(exc, "role") from None
        raise


def caller_principal(caller_arn: str) -> tuple[str, str] | None:
    """``("user", name)`` or ``("role", name)`` from a GetCallerIdentity ARN, without any call (an
    assumed role's name is in its session ARN); None for root and federated users."""
    resource = caller_arn.split(":", 5)[5] if caller_arn.count(":") >= 5 else ""
    if resource.startswith("user/"):
        return "user", resource.rsplit("/", 1)[1]
    if resource.startswith("assumed-role/"):
        return "role", resource.split("/")[1]
    return None


def identity_principal_arn(identity: Identity) -> str:
    """The ARN the identity's policies belong to; for root and federated users, their own ARN."""
    return identity.principal_arn or identity.arn


def build_scope(
    identity: Identity,
    region: str,
    role_arn: str | None,
    kms_key_arn: str | None = None,
    *,
    principal_arn: str | None = None,
    s3_input: str | None = None,
    s3_output: str | None = None,
    volume_kms_key_arn: str | None = None,
) -> Scope:
    """The catalog scope for ``identity`` (or, with ``principal_arn``, for another principal of the
    same account, such as the execution role itself), with the scheduler's folders and exact key ARNs."""
    principal = principal_arn or identity_principal_arn(identity)
    username = identity.principal_name if principal_arn is None and identity.principal_type == "user" else None
    return Scope(
        account=identity.account,
        region=region,
        principal_arn=principal,
        role_arn=role_arn,
        username=username,
        kms_key_arn=kms_key_arn,
        partition=identity.partition,
        s3_input=s3_input,
        s3_output=s3_output,
        volume_kms_key_arn=volume_kms_key_arn,
    )


def scope_from_report(report: dict[str, Any], *, principal_arn: str | None = None) -> Scope:
    """The ``Scope`` a check's report (its JSON) was made with: the fix builds its least-privilege
    statements from it (``artifact_locations()``, ``kms_key_arns()``) without calling AWS again.
    ``principal_arn`` defaults to the identity's; the role is the report's, the folders and keys its
    ``inputs`` (keys as resolved). ``InputError`` when the report cannot give a valid scope."""
    identity = report.get("identity") or {}
    inputs = report.get("inputs") or {}
    role = report.get("role") or {}

    def given(name: str, key: str = "value") -> str | None:
        entry = inputs.get(name) or {}
        value = entry.get(key) if entry.get("source") not in ("default", "none") else None
        return value if isinstance(value, str) and value else None

    principal = str(principal_arn or identity.get("principal_arn") or identity.get("arn") or "")
    username = principal.rsplit("/", 1)[1] if principal_arn is None and identity.get("kind") == "user" else None
    return Scope(
        account=str(report.get("account") or ""),
        region=str(report.get("region") or ""),
        principal_arn=principal,
        role_arn=role.get("arn") or None,
        username=username,
        kms_key_arn=given("output_kms_key", "resolved_arn"),
        partition=principal.split(":")[1] if principal.count(":") >= 5 else "aws",
        s3_input=given("s3_input"),
        s3_output=given("s3_output"),
        volume_kms_key_arn=given("volume_kms_key", "resolved_arn"),
    )
