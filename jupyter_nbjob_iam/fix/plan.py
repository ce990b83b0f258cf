"""Plan assembly: read, plan, bind it all under one digest, save. A pure preview (never a write).

``plan_id`` is the SHA-256 of the canonical JSON of everything apply, undo and verify act on: the
writes, the live state read, the account, profile, region, role, KMS key, policy name and mode. The
same state gives the same id, any change to either gives another, and a stored plan whose fields were
edited since no longer hashes to its id (apply and undo refuse it).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from ..aws import writes as aws_writes
from ..aws.session import AwsSession
from ..catalog.statements import KMS_SID
from ..errors import InputError
from ..handoff import build_handoff
from .collect import check_report, collect, report_kms_key
from .merge import canonical
from .planner import DEFAULT_POLICY_NAME, compute_writes
from .reads import read_live, read_quotas, read_spec
from .state import state_to_list
from .store import PlanStore, now_iso

POLICY_NAME_RE = re.compile(r"^[\w+=,.@-]{1,128}$")


def validate_policy_name(name: object) -> str:
    if not isinstance(name, str) or not POLICY_NAME_RE.match(name):
        raise InputError(
            "The policy name must be 1 to 128 letters, digits or + = , . @ _ - characters.",
            details={"field": "policy_name", "value": str(name)[:200]},
        )
    return name


def _plan_id(writes: list[dict[str, Any]], reads: dict[str, Any], account: str | None) -> str:
    """The account is bound in too: apply and undo refuse credentials of another account than it."""
    body = {"writes": writes, "reads": reads, "account": account}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def plan_digest(plan: dict[str, Any]) -> str:
    """The id a stored plan's own writes, reads and account hash to (its ``plan_id`` unless edited)."""
    return _plan_id(plan.get("writes", []), plan.get("reads", {}), plan.get("account"))


def make_plan(
    session: AwsSession,
    report_json: Any,
    *,
    policy_name: str = DEFAULT_POLICY_NAME,
    store: PlanStore,
) -> dict[str, Any]:
    """Preview every write for a check report, save the plan in ``store`` and return it (docs/API.md)."""
    validate_policy_name(policy_name)
    report = check_report(report_json)
    collected = collect(report)
    store.add_secrets(aws_writes.credential_values(session))
    notes: list[str] = []
    quotas, note = read_quotas(session)
    if note:
        notes.append(note)
    state, extras = read_live(session, collected, policy_name, quotas)
    spec = read_spec(collected, policy_name)
    writes, skipped, blocked = compute_writes(
        report, state, extras, quotas, policy_name=policy_name, collected=collected
    )
    reads = {"spec": spec.to_json(), "state": state_to_list(state)}
    role = report.get("role") or {}
    plan: dict[str, Any] = {
        "plan_id": _plan_id(writes, reads, report.get("account")),
        "created_at": now_iso(),
        "profile": report.get("profile", session.profile),
        "region": report.get("region") or session.region,
        "account": report.get("account"),
        "role_arn": role.get("arn"),
        "kms_key_arn": report_kms_key(report),
        "policy_name": policy_name,
        "nothing_to_do": not writes,
        "writes": writes,
        "skipped": skipped,
        "blocked": blocked,
        "notes": notes,
        "handoff": build_handoff(
            writes=writes, blocked=blocked, skipped=skipped, account=report.get("account"), policy_name=policy_name
        ),
        "reads": reads,
    }
    store.save_plan(plan)
    return plan


def fixed_statements(plan: dict[str, Any]) -> set[tuple[str, str]]:
    """``(target, sid)`` of every statement the plan's writes add (what verify waits for)."""
    out: set[tuple[str, str]] = set()
    for write in plan.get("writes", []):
        sids = write.get("adds_sids") or []
        targets = write.get("adds_targets") or ["kms" if sid == KMS_SID else write["target"] for sid in sids]
        out.update(zip(targets, sids, strict=True))
    return out
