"""The check's report: what DESIGN.md "Report" and docs/API.md fix, as dataclasses with ``to_json``.

``to_json`` is the one JSON shape of the CLI's ``--json`` and of ``POST /nbjob-iam/check``; the keys
are exactly the documented ones, in a stable order, and every value is plain JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATUSES = ("ok", "missing", "partial", "denied", "conditional", "unknown")
TARGET_ORDER = ("identity", "trust", "role", "kms")


@dataclass(frozen=True)
class DecidedBy:
    """A policy statement that decided a result. ``source`` is one of ``inline``, ``managed``,
    ``group-inline``, ``group-managed``, ``boundary``, ``scp`` or ``trust`` (the role's trust policy)."""

    policy: str
    source: str
    sid: str | None
    effect: str

    def to_json(self) -> dict[str, Any]:
        return {"policy": self.policy, "source": self.source, "sid": self.sid, "effect": self.effect}


@dataclass(frozen=True)
class StatementResult:
    """One required statement of the guide, for one principal."""

    sid: str
    status: str
    detail: str
    why: str
    legacy: bool
    statement: dict[str, Any]
    missing_actions: tuple[str, ...] = ()
    missing_services: tuple[str, ...] = ()
    unknown_keys: tuple[str, ...] = ()
    decided_by: tuple[DecidedBy, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "sid": self.sid,
            "status": self.status,
            "detail": self.detail,
            "why": self.why,
            "legacy": self.legacy,
            "missing_actions": list(self.missing_actions),
            "missing_services": list(self.missing_services),
            "unknown_keys": list(self.unknown_keys),
            "decided_by": [d.to_json() for d in self.decided_by],
            "statement": self.statement,
        }


@dataclass(frozen=True)
class TargetResult:
    """``identity``, ``trust``, ``role`` or ``kms``: the statements one principal needs."""

    target: str
    principal_arn: str | None
    statements: tuple[StatementResult, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "principal_arn": self.principal_arn,
            "statements": [s.to_json() for s in self.statements],
        }


@dataclass(frozen=True)
class IdentitySummary:
    arn: str
    kind: str
    principal_arn: str | None
    editable: bool | None
    not_editable_reason: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "arn": self.arn,
            "kind": self.kind,
            "principal_arn": self.principal_arn,
            "editable": self.editable,
            "not_editable_reason": self.not_editable_reason,
        }


@dataclass(frozen=True)
class RoleSummary:
    arn: str
    name: str
    editable: bool
    not_editable_reason: str | None
    trusts_sagemaker: bool
    trusts_events: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "arn": self.arn,
            "name": self.name,
            "editable": self.editable,
            "not_editable_reason": self.not_editable_reason,
            "trusts_sagemaker": self.trusts_sagemaker,
            "trusts_events": self.trusts_events,
        }


@dataclass(frozen=True)
class Report:
    """The answer to "will my notebook jobs work?".

    ``ok`` is true when every statement that counts is ``ok``: legacy statements (``S3DriverAccess``,
    only for scheduler versions before 3.0) count only when such a scheduler is installed.
    ``engine`` is ``simulator``, ``local`` or ``simulator+local`` (each principal used one).
    ``inputs`` says where the role, the S3 folders and the KMS keys came from (typed, the scheduler's
    saved settings, the role-name prefix, the defaults) and each key's resolved ARN or why it has none;
    ``buckets`` names the buckets and prefixes checked; ``environment`` the installed scheduler and what
    blocks it here (``scheduler_env.py``).
    """

    ok: bool
    engine: str
    account: str
    region: str
    profile: str | None
    identity: IdentitySummary
    role: RoleSummary | None
    targets: tuple[TargetResult, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    inputs: dict[str, Any] = field(default_factory=dict, hash=False)
    buckets: tuple[dict[str, Any], ...] = ()
    environment: dict[str, Any] = field(default_factory=dict, hash=False)

    def target(self, name: str) -> TargetResult | None:
        return next((t for t in self.targets if t.target == name), None)

    def statuses(self) -> dict[str, dict[str, str]]:
        """``{target: {sid: status}}``: the short form tests and the sandbox compare."""
        return {t.target: {s.sid: s.status for s in t.statements} for t in self.targets}

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "engine": self.engine,
            "account": self.account,
            "region": self.region,
            "profile": self.profile,
            "identity": self.identity.to_json(),
            "role": self.role.to_json() if self.role else None,
            "targets": [t.to_json() for t in self.targets],
            "notes": list(self.notes),
            "inputs": self.inputs,
            "buckets": [dict(b) for b in self.buckets],
            "environment": self.environment,
        }
