"""Which gaps of a check report the fix closes, and for whom (pure: no AWS call).

Per statement status:

- ``missing`` / ``partial``: the statement is added (scoped to what the check verified, see
  ``catalog/scoped.py``; ``as_guide`` writes the guide's broad text instead). A partial one is
  completed by the statement beside whatever grants part of it today: nothing is edited;
- ``ok``: nothing;
- ``denied``: skipped, with the reason and a hand-off: an Allow cannot beat an explicit deny, a
  permissions boundary or an SCP, so only an administrator can change this;
- ``conditional`` / ``unknown``: skipped, with the reason: the fix does not write what it cannot check.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ..catalog import Scope, required_statements, validate_kms_key_arn
from ..catalog.scoped import scoped_statement
from ..catalog.statements import TRUST_SERVICES
from ..errors import InputError
from .principals import Principal, target_principal
from .shapes import Blocked, Skipped
from .text import LEGACY_REASON, SKIP_REASONS

FIXABLE = frozenset({"missing", "partial"})


@dataclass
@dataclass
class Group:
    """The statements one principal should get, from one or more report targets."""

    principal: Principal
    target: str
    statements: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (report target, statement)
    statuses: dict[tuple[str, str], str] = field(default_factory=dict)  # (target, Sid) -> the check's status


@dataclass
class Collected:
    groups: dict[str, Group] = field(default_factory=dict)
    trust: tuple[Principal, list[str]] | None = None
    skipped: list[Skipped] = field(default_factory=list)
    blocked: list[Blocked] = field(default_factory=list)
    scope: Scope | None = None  # None: the guide's own text (as_guide)


def kms_key_arn_of(report: dict[str, Any], target: dict[str, Any]) -> list[str] | None:
    """The exact KMS key ARNs a report's kms target was checked with (validated), else None."""
    keys: list[str] = []
    for candidate in (
        report.get("kms_key_arn"),
        target.get("kms_key_arn"),
        *(((s.get("statement") or {}).get("Resource")) for s in target.get("statements") or []),
    ):
        for key in [candidate] if isinstance(candidate, str) else candidate if isinstance(candidate, list) else []:
            validate_kms_key_arn(key)
            keys.append(key)
    return list(dict.fromkeys(keys)) or None


def guide_statements(
    target: str, kms_key_arn: list[str] | None, scope: Scope | None = None
) -> dict[str, dict[str, Any]]:
    """``{Sid: statement}`` the fix would add for ``target``: narrowed to ``scope`` (least privilege),
    or the guide's own text when ``scope`` is None (``as_guide``)."""
    if target == "kms":
        if kms_key_arn is None:
            return {}
        found = required_statements("kms", kms_key_arn)
    else:
        found = required_statements(target)
    if scope is None:
        return {s.sid: s.statement for s in found}
    return {s.sid: scoped_statement(s.statement, scope) for s in found}


def scope_of(report: dict[str, Any]) -> Scope:
    """The catalog scope the check ran with, rebuilt from its report: the role, the S3 folders and the
    KMS keys it resolved (``check.scope.scope_from_report``); ``InputError`` when it cannot be."""
    from ..check.scope import scope_from_report  # the check is the other half of the service layer

    try:
        scope = scope_from_report(report)
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        raise InputError(
            "The check report does not say where it was made (account, region, identity), so the fix cannot "
            "limit what it writes to it.",
            details={"field": "report", "missing": str(exc)[:80]},
        ) from None
    keys = report_kms_keys(report) or []
    if not scope.kms_key_arns() and keys:  # a report without inputs: the key of its KMS statement
        scope = dataclasses.replace(scope, kms_key_arn=keys[0], volume_kms_key_arn=keys[1] if len(keys) > 1 else None)
    return scope


def check_inputs(report: dict[str, Any]) -> dict[str, str | None]:
    """``{s3_input, s3_output, output_kms_key, volume_kms_key}`` as the check resolved them (S3 URIs and
    exact key ARNs; None when not set): what the fix scopes to, and what verify checks again with."""
    found = report.get("inputs")
    inputs: dict[str, Any] = found if isinstance(found, dict) else {}

    def field(name: str, key: str) -> str | None:
        entry = inputs.get(name)
        value = entry.get(key) if isinstance(entry, dict) else None
        return value if isinstance(value, str) and value else None

    return {
        "s3_input": field("s3_input", "value"),
        "s3_output": field("s3_output", "value"),
        "output_kms_key": field("output_kms_key", "resolved_arn"),
        "volume_kms_key": field("volume_kms_key", "resolved_arn"),
    }


def skip_reason(stmt: dict[str, Any]) -> str:
    status = stmt["status"]
    by = ", ".join(
        f"{d.get('policy')} ({d.get('source')})" for d in stmt.get("decided_by") or [] if d.get("effect") == "Deny"
    ) or ", ".join(f"{d.get('policy')} ({d.get('source')})" for d in stmt.get("decided_by") or [])
    keys = ", ".join(stmt.get("unknown_keys") or [])
    detail = stmt.get("detail") or ""
    return SKIP_REASONS[status].format(
        by=f" ({by})" if by else "",
        keys=f" ({keys})" if keys else "",
        why=f" ({detail})" if detail else "",
    )


def check_report(report: object) -> dict[str, Any]:
    if hasattr(report, "to_json"):
        report = report.to_json()
    if not isinstance(report, dict) or not isinstance(report.get("targets"), list):
        raise InputError("A fix is planned from a check report (a JSON object with targets).")
    return report


def legacy_statements_needed() -> bool:
    """Whether the installed scheduler still uses the legacy statements (``S3DriverAccess``): the
    check decides that from the installed scheduler's version; without the check, assume it does."""
    try:
        from ..check.run import legacy_counts
    except ImportError:  # pragma: no cover - the check is part of the package
        return True
    return bool(legacy_counts()[0])


def collect(report: dict[str, Any], legacy_needed: bool | None = None, *, as_guide: bool = False) -> Collected:
    """The groups of statements to add per principal, the trust services, what is skipped or blocked.
    Statements are scoped to what the check verified unless ``as_guide``."""
    if legacy_needed is None:
        legacy_needed = legacy_statements_needed()
    out = Collected(scope=None if as_guide else scope_of(report))
    blocked_keys: set[tuple[str, str]] = set()
    for target in report["targets"]:
        name = target.get("target")
        statements = [s for s in target.get("statements") or [] if isinstance(s, dict)]
        if name not in ("identity", "role", "kms", "trust"):
            continue
        principal = target_principal(report, target)
        if principal is None:
            continue
        fixable = [s for s in statements if s.get("status") in FIXABLE]
        if not legacy_needed:
            for stmt in [s for s in fixable if s.get("legacy")]:
                fixable.remove(stmt)
                out.skipped.append(
                    {"target": name, "sid": stmt.get("sid"), "status": stmt["status"], "reason": LEGACY_REASON}
                )
        for stmt in statements:
            if stmt.get("status") in SKIP_REASONS:
                out.skipped.append(
                    {"target": name, "sid": stmt.get("sid"), "status": stmt["status"], "reason": skip_reason(stmt)}
                )
        if not fixable:
            continue
        if principal.blocked:
            if (name, principal.arn) not in blocked_keys:
                blocked_keys.add((name, principal.arn))
                out.blocked.append(blocked_entry(name, principal, report, target, fixable, out.scope))
            continue
        if name == "trust":
            services: list[str] = []
            for stmt in fixable:
                services.extend(stmt.get("missing_services") or [])
            out.trust = (principal, list(dict.fromkeys(services or TRUST_SERVICES)))
            continue
        guide = guide_statements(name, kms_key_arn_of(report, target) if name == "kms" else None, out.scope)
        group = out.groups.setdefault(principal.arn, Group(principal, "role" if name == "role" else "identity"))
        for stmt in fixable:
            sid = stmt.get("sid")
            statement = guide.get(sid) if isinstance(sid, str) else None
            if statement is None:
                out.skipped.append(
                    {
                        "target": name,
                        "sid": sid,
                        "status": stmt.get("status"),
                        "reason": "This statement is not one of the guide's, so the fix does not know what to add.",
                    }
                )
                continue
            group.statements.append((name, copy.deepcopy(statement)))
            group.statuses[(name, str(sid))] = str(stmt.get("status"))
    return out


def blocked_entry(
    name: str,
    principal: Principal,
    report: dict[str, Any],
    target: dict[str, Any],
    fixable: list[dict[str, Any]],
    scope: Scope | None = None,
) -> Blocked:
    if name == "trust":
        statements: list[dict[str, Any]] = []
        services = [s for stmt in fixable for s in stmt.get("missing_services") or []] or list(TRUST_SERVICES)
    else:
        guide = guide_statements(name, kms_key_arn_of(report, target) if name == "kms" else None, scope)
        statements = [copy.deepcopy(guide[s["sid"]]) for s in fixable if s.get("sid") in guide]
        services = []
    if principal.kind == "sso-role":
        ps = f" `{principal.permission_set}`" if principal.permission_set else ""
        instead = (
            f"An IAM Identity Center administrator adds the statements to the permission set{ps} (see the hand-off)."
        )
    elif principal.kind in ("root", "federated-user"):
        instead = "Nothing to write here; use an IAM user or role for notebook jobs."
    else:
        instead = "An administrator applies the hand-off's documents."
    return {
        "target": name,
        "principal": principal.ref(),
        "kind": principal.kind,
        "permission_set": principal.permission_set,
        "reason": f"{principal.blocked} {instead}".strip(),
        "sids": [str(s.get("sid")) for s in fixable],
        "statements": statements,
        "services": list(dict.fromkeys(services)),
    }


def report_kms_keys(report: dict[str, Any]) -> list[str] | None:
    """The KMS key ARNs of the report's kms target, if it has one."""
    for target in report.get("targets") or []:
        if target.get("target") == "kms":
            return kms_key_arn_of(report, target)
    return None
