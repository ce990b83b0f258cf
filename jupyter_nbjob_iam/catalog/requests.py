"""``build_requests``: a required statement -> the concrete requests it is checked with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..errors import InputError
from .context import build_context
from .model import CheckRequest, RequiredStatement, Scope
from .resources import ACTION_RESOURCE_TYPES, default_role_arn, resource_arn
from .statements import validate_kms_key_arn
from .variants import variants

PASSED_TO_SERVICE_KEY = "iam:passedtoservice"


def passed_to_services(statement: dict[str, Any]) -> tuple[str, ...]:
    """The ``iam:PassedToService`` values a statement's conditions name, in order."""
    out: list[str] = []
    for block in (statement.get("Condition") or {}).values():
        for key, values in block.items():
            if key.lower() == PASSED_TO_SERVICE_KEY:
                for v in [values] if isinstance(values, str) else values:
                    if v not in out:
                        out.append(v)
    return tuple(out)


def _joined(*notes: str | None) -> str | None:
    """The notes that are set, as one sentence run (None when none is)."""
    return " ".join(n for n in notes if n) or None


def _key_note(key_arn: str, scope: Scope) -> str | None:
    m = validate_kms_key_arn(key_arn)
    if m["region"] != scope.region:
        return (
            f"The KMS key {key_arn} is in {m['region']} but the notebook jobs run in {scope.region}; "
            "S3 and SageMaker can only use a key of the job's own region."
        )
    return None


def _keys_of(stmt: RequiredStatement) -> list[str]:
    resource = stmt.statement.get("Resource")
    keys = [str(k) for k in resource] if isinstance(resource, list) else [str(resource)]
    for key in keys:
        validate_kms_key_arn(key)
    return keys


def build_requests(stmt: RequiredStatement, scope: Scope, *, now: datetime | None = None) -> list[CheckRequest]:
    """Every concrete request the scheduler (target "identity", "kms") or the job (target "role")
    makes for ``stmt``, in the statement's action order.

    - ``iam:PassRole``: the chosen role's ARN (``scope.role_arn``; when None, the scheduler's default
      ``role/SagemakerJupyterScheduler``, said in ``note``), once per ``iam:PassedToService`` value the
      statement names.
    - Actions that act on several resource types (``sagemaker:AddTags``/``ListTags``): one request per
      type the scheduler tags (pipeline, training job).
    - One action called on several resources or with other tags (the input and output folders, run now
      and scheduled runs, a schedule created and updated): one request each (``variants.py``).
    - KMS: one request per key of the statement's ``Resource`` (output and volume key).
    - ``*`` only for actions without a resource type.

    Target "role" requests are made by the execution role (``aws:PrincipalArn`` = the role);
    "identity" and "kms" ones by ``scope.principal_arn``. ``now`` fixes the time keys (default: now, UTC).
    """
    if stmt.target == "role":
        principal_arn = scope.role_arn or default_role_arn(scope)
        principal_kind = "role"
    else:
        principal_arn = scope.principal_arn
        principal_kind = scope.principal_kind

    role_arn = scope.role_arn or default_role_arn(scope)
    role_note = None
    if scope.role_arn is None:
        role_note = f"No execution role was chosen: checked with the scheduler's default role name, {role_arn}."

    key_arns: list[str] = _keys_of(stmt) if stmt.target == "kms" else []
    pipeline_arn, _ = resource_arn("pipeline", scope=scope, role_arn=role_arn)

    out: list[CheckRequest] = []
    for action in stmt.actions:
        types = ACTION_RESOURCE_TYPES.get(action)
        if types is None:
            raise InputError(
                f"The catalog does not know which resource {action} acts on.",
                details={"action": action, "sid": stmt.sid},
            )
        for rtype in types:
            keys: list[str | None] = list(key_arns) if rtype == "key" else [None]
            for key_arn in keys:
                for variant in variants(stmt.target, stmt.sid, action, rtype, scope):
                    resource, note = resource_arn(
                        rtype,
                        scope=scope,
                        role_arn=role_arn,
                        key_arn=key_arn,
                        bucket=variant.bucket,
                        key=variant.key,
                        job_id=variant.job_id,
                    )
                    if rtype == "role" or stmt.target == "role":
                        note = _joined(note, role_note)
                    if key_arn:
                        note = _joined(note, _key_note(key_arn, scope))
                    services: tuple[str | None, ...] = (None,)
                    if action == "iam:PassRole":
                        services = passed_to_services(stmt.statement) or ("sagemaker.amazonaws.com",)
                    for service in services:
                        context, unknown = build_context(
                            target=stmt.target,
                            action=action,
                            resource_type=rtype,
                            resource=resource,
                            scope=scope,
                            principal_arn=principal_arn,
                            principal_kind=principal_kind,
                            passed_to_service=service,
                            pipeline_arn=pipeline_arn,
                            now=now,
                            request_tags=variant.tags,
                            extra=variant.context,
                            extra_unknown=variant.unknown,
                        )
                        out.append(
                            CheckRequest(
                                target=stmt.target,
                                sid=stmt.sid,
                                action=action,
                                resource=resource,
                                context=context,
                                unknown_keys=unknown,
                                note=note,
                            )
                        )
    return out
