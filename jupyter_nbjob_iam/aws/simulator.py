"""AWS's own policy simulator: ``iam:SimulatePrincipalPolicy`` for concrete requests.

Requests with the same resource and the same context share one call (their actions go together in
``ActionNames``); calls run concurrently and are paginated with ``IsTruncated``/``Marker``. Each
request's context becomes ``ContextEntries`` with a ``ContextKeyType`` chosen from the key (AWS's
global keys have fixed types: ``aws:CurrentTime`` is a date, ``aws:SecureTransport`` a boolean, ...)
and, for other keys, from the Python value (``bool`` -> boolean, ``int``/``float`` -> numeric,
``datetime`` -> date, ``str`` -> string; a list gives the ``...List`` type).

Without context, a statement with conditions comes back ``implicitDeny`` with
``MissingContextValues``: the checker reads those as "conditional". A refused simulator
(no ``iam:SimulatePrincipalPolicy``) raises ``AccessDeniedError``: the checker then evaluates locally.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import AwsError, InputError
from ._tasks import AwsLimiter, Pending, TaskGroup
from .arns import parse_iam_principal_arn
from .session import AwsSession

DECISIONS = ("allowed", "implicitDeny", "explicitDeny")
CONTEXT_TYPES = ("string", "numeric", "boolean", "ip", "binary", "date")
_MAX_PAGES = 1000

# Condition keys whose type is fixed by AWS, lower-cased. Anything not here is typed by its value.
KEY_TYPES: dict[str, str] = {
    "aws:currenttime": "date",
    "aws:tokenissuetime": "date",
    "aws:epochtime": "numeric",
    "aws:multifactorauthage": "numeric",
    "aws:multifactorauthpresent": "boolean",
    "aws:securetransport": "boolean",
    "aws:viaawsservice": "boolean",
    "aws:principalisawsservice": "boolean",
    "aws:sourceip": "ip",
    "aws:vpcsourceip": "ip",
    "aws:tagkeys": "string",
    "aws:calledvia": "string",
    "aws:principalservicenamelist": "string",
    "s3:signatureage": "numeric",
    "s3:max-keys": "numeric",
    "s3:object-lock-remaining-retention-days": "numeric",
    "sagemaker:maxruntimeinseconds": "numeric",
    "sagemaker:networkisolation": "boolean",
    "sagemaker:intercontainertrafficencryption": "boolean",
    "sagemaker:enableremotedebug": "boolean",
    "kms:grantisforawsresource": "boolean",
    "kms:reencryptonsamekey": "boolean",
    "ec2:encrypted": "boolean",
}


@dataclass(frozen=True)
class SimRequest:
    """One request to simulate. ``context`` maps condition keys to a value or a list of values
    (str, bool, int/float, datetime); ``context_types`` overrides the inferred ``ContextKeyType``
    of a key (``"string"``, ``"dateList"``, ...)."""

    action: str
    resource: str = "*"
    context: Mapping[str, Any] = field(default_factory=dict)
    context_types: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SimStatement:
    """A statement the simulator says decided the result (``SourcePolicyId`` is a policy name,
    a managed policy ARN, or e.g. ``PermissionsBoundaryPolicy``)."""

    source_policy_id: str | None
    source_policy_type: str | None  # user | group | role | aws-managed | user-managed | resource | none
    start: tuple[int, int] | None  # (line, column)
    end: tuple[int, int] | None


@dataclass(frozen=True)
class SimDecision:
    request: SimRequest
    decision: str  # "allowed" | "implicitDeny" | "explicitDeny"
    matched: tuple[SimStatement, ...]
    missing_context: tuple[str, ...]
    allowed_by_boundary: bool | None  # PermissionsBoundaryDecisionDetail; None when absent
    allowed_by_organizations: bool | None  # OrganizationsDecisionDetail; None when absent
    decision_details: dict[str, str] = field(default_factory=dict)  # EvalDecisionDetails

    @property
    def action(self) -> str:
        return self.request.action

    @property
    def resource(self) -> str:
        return self.request.resource

    @property
    def allowed(self) -> bool:
        return self.decision == "allowed"


def _lookup(mapping: Mapping[str, str], key: str) -> str | None:
    lowered = key.lower()
    for k, v in mapping.items():
        if k.lower() == lowered:
            return v
    return None


def _infer_base(key: str, values: list[Any]) -> str:
    fixed = KEY_TYPES.get(key.lower())
    if fixed:
        return fixed
    if values and all(isinstance(v, bool) for v in values):
        return "boolean"
    if values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "numeric"
    if values and all(isinstance(v, dt.datetime | dt.date) for v in values):
        return "date"
    if values and all(
        isinstance(v, ipaddress.IPv4Address | ipaddress.IPv6Address | ipaddress.IPv4Network | ipaddress.IPv6Network)
        for v in values
    ):
        return "ip"
    if values and all(isinstance(v, bytes) for v in values):
        return "binary"
    return "string"


def _format(value: Any, base: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.replace(microsecond=0).isoformat() + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    text = str(value)
    if base == "boolean" and text.lower() in ("true", "false"):
        return text.lower()
    return text


def context_entries(context: Mapping[str, Any], types: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """``ContextEntries`` for a request context, sorted by key. ``None`` values are left out
    (the key is absent); a list (even empty) is a multivalued key."""
    entries: list[dict[str, Any]] = []
    for key in sorted(context, key=str.lower):
        value = context[key]
        if value is None:
            continue
        multi = isinstance(value, list | tuple | set | frozenset)
        values = sorted(value, key=str) if isinstance(value, set | frozenset) else (list(value) if multi else [value])
        explicit = _lookup(types or {}, key)
        if explicit:
            base = explicit[:-4] if explicit.endswith("List") else explicit
            if base not in CONTEXT_TYPES:
                raise InputError(
                    f"Unknown context key type {explicit!r} for {key}.",
                    details={"key": key, "type": explicit},
                )
            key_type = explicit if explicit.endswith("List") or not multi else base + "List"
        else:
            base = _infer_base(key, values)
            key_type = base + "List" if multi else base
        entries.append(
            {
                "ContextKeyName": key,
                "ContextKeyValues": [_format(v, base) for v in values],
                "ContextKeyType": key_type,
            }
        )
    return entries


def _statements(raw: list[dict[str, Any]] | None) -> tuple[SimStatement, ...]:
    out = []
    for st in raw or []:
        start, end = st.get("StartPosition"), st.get("EndPosition")
        out.append(
            SimStatement(
                st.get("SourcePolicyId"),
                st.get("SourcePolicyType"),
                (start["Line"], start["Column"]) if start and "Line" in start else None,
                (end["Line"], end["Column"]) if end and "Line" in end else None,
            )
        )
    return tuple(out)


def _decision(request: SimRequest, result: dict[str, Any]) -> SimDecision:
    specific = next(
        (r for r in result.get("ResourceSpecificResults") or [] if r.get("EvalResourceName") == request.resource),
        None,
    )
    source = specific if specific is not None else result
    decision = (specific or {}).get("EvalResourceDecision") or result["EvalDecision"]
    missing = list(source.get("MissingContextValues") or [])
    for key in result.get("MissingContextValues") or []:
        if key not in missing:
            missing.append(key)
    boundary = source.get("PermissionsBoundaryDecisionDetail") or result.get("PermissionsBoundaryDecisionDetail")
    orgs = result.get("OrganizationsDecisionDetail")
    return SimDecision(
        request=request,
        decision=decision,
        matched=_statements(source.get("MatchedStatements")),
        missing_context=tuple(missing),
        allowed_by_boundary=None if not boundary else boundary.get("AllowedByPermissionsBoundary"),
        allowed_by_organizations=None if not orgs else orgs.get("AllowedByOrganizations"),
        decision_details=dict(source.get("EvalDecisionDetails") or result.get("EvalDecisionDetails") or {}),
    )


def _simulate_group(
    sess: AwsSession, principal_arn: str, resource: str, entries: list[dict[str, Any]], actions: list[str]
) -> list[dict[str, Any]]:
    params: dict[str, Any] = {
        "PolicySourceArn": principal_arn,
        "ActionNames": actions,
        "ResourceArns": [resource],
    }
    if entries:
        params["ContextEntries"] = entries
    results: list[dict[str, Any]] = []
    iam = sess.client("iam")
    for _ in range(_MAX_PAGES):
        with sess.errors("iam:SimulatePrincipalPolicy"):
            resp = iam.simulate_principal_policy(**params)
        results.extend(resp.get("EvaluationResults") or [])
        marker = resp.get("Marker")
        if not resp.get("IsTruncated") or not marker:
            break
        params["Marker"] = marker
    return results


def start_simulate(
    sess: AwsSession,
    principal_arn: str,
    requests: list[SimRequest],
    *,
    limiter: AwsLimiter | None = None,
) -> Pending[list[SimDecision]]:
    """Start simulating on the pool of ``limiter`` (else the session's) and return at once; input
    errors raise here, before any AWS call. ``.result()`` is ``simulate``'s answer."""
    parse_iam_principal_arn(principal_arn, kinds=("user", "role", "group"))
    requests = list(requests)
    groups: dict[tuple[str, str], tuple[list[dict[str, Any]], list[str]]] = {}
    keys: list[tuple[str, str]] = []
    for req in requests:
        if not isinstance(req, SimRequest) or not req.action or ":" not in req.action:
            raise InputError(f"Not a simulator request: {req!r}", details={"request": repr(req)[:200]})
        resource = req.resource or "*"
        entries = context_entries(req.context, req.context_types)
        key = (resource, json.dumps(entries, sort_keys=True))
        keys.append(key)
        group = groups.setdefault(key, (entries, []))
        if req.action.lower() not in (a.lower() for a in group[1]):
            group[1].append(req.action)

    tasks = TaskGroup(limiter or sess.limiter, sess.deadline)
    futures = {
        key: tasks.spawn(_simulate_group, sess, principal_arn, key[0], entries, actions, key=key)
        for key, (entries, actions) in groups.items()
    }
    tasks.seal()

    def finish() -> list[SimDecision]:
        exc = tasks.error()
        if exc is not None:
            raise exc
        by_group = {key: {r["EvalActionName"].lower(): r for r in fut.result()} for key, fut in futures.items()}
        out: list[SimDecision] = []
        for req, key in zip(requests, keys, strict=True):
            result = by_group[key].get(req.action.lower())
            if result is None:
                raise AwsError(
                    f"The policy simulator returned no result for {req.action} on {req.resource}.",
                    error_code="simulator_incomplete",
                    details={"action": req.action, "resource": req.resource},
                )
            out.append(_decision(req, result))
        return out

    return Pending(tasks.done, finish)


def simulate(
    sess: AwsSession,
    principal_arn: str,
    requests: list[SimRequest],
    *,
    max_workers: int | None = None,
) -> list[SimDecision]:
    """Simulate ``requests`` for the IAM user/role/group ``principal_arn``; one
    :class:`SimDecision` per request, in order.

    ``principal_arn`` must be an IAM user, group or role ARN (an ``assumed-role`` session ARN is an
    ``InputError``: pass ``Identity.principal_arn``). ``AccessDeniedError`` when the caller may not
    use the simulator. The calls run on the session's limiter (``max_workers``: a private one).
    """
    if not requests:
        parse_iam_principal_arn(principal_arn, kinds=("user", "role", "group"))
        return []
    own = AwsLimiter(max_workers, name="nbjob-iam-sim") if max_workers else None
    try:
        return start_simulate(sess, principal_arn, requests, limiter=own).wait(sess.deadline)
    finally:
        if own is not None:
            own.shutdown()
