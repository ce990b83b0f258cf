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
from ..catalog.scoped import broad_grants
from ..catalog.statements import KMS_SID
from ..errors import InputError
from ..handoff import build_handoff
from .collect import check_inputs, check_report, collect, report_kms_keys
from .merge import canonical
from .planner import DEFAULT_POLICY_NAME, compute_writes
from .reads import read_live, read_quotas, read_spec
from .shapes import Blocked, Write
from .state import state_to_list
from .store import PlanStore, now_iso
from .text import AS_GUIDE_TEXT, LEAST_PRIVILEGE_TEXT

POLICY_NAME_RE = re.compile(r"^[\w+=,.@-]{1,128}$", re.ASCII)


def validate_policy_name(name: object) -> str:
    if not isinstance(name, str) or not POLICY_NAME_RE.fullmatch(name):
        raise InputError(
            "The policy name must be 1 to 128 letters, digits or + = , . @ _ - characters.",
            details={"field": "policy_name", "value": str(name)[:200]},
        )
    return name


# Every field apply, undo and verify act on: editing any of them in a stored plan changes its digest.
BOUND_FIELDS = (
    "account",
    "profile",
    "region",
    "role_arn",
    "kms_key_arn",
    "inputs",
    "policy_name",
    "as_guide",
    "writes",
    "reads",
    "skipped",
    "blocked",
)


def plan_digest(plan: dict[str, Any]) -> str:
    """The SHA-256 of the plan's bound fields (its ``plan_id``, unless the stored plan was edited)."""
    body = {name: plan.get(name) for name in BOUND_FIELDS}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def legacy_digest(plan: dict[str, Any]) -> str:
    """The id plans made before issue 13 got (writes, reads, account only): undo still accepts it for
    such plans, since what undo writes is derived from those fields alone."""
    body = {"writes": plan.get("writes"), "reads": plan.get("reads"), "account": plan.get("account")}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def make_plan(
    session: AwsSession,
    report_json: Any,
    *,
    policy_name: str = DEFAULT_POLICY_NAME,
    as_guide: bool = False,
    store: PlanStore,
) -> dict[str, Any]:
    """Preview every write for a check report, save the plan in ``store`` and return it (docs/API.md).
    The statements are scoped to what the check verified, unless ``as_guide`` (the guide's own text)."""
    validate_policy_name(policy_name)
    if not isinstance(as_guide, bool):
        raise InputError("`as_guide` must be true or false.", details={"field": "as_guide"})
    report = check_report(report_json)
    collected = collect(report, as_guide=as_guide)
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
    role = report.get("role") or {}
    plan: dict[str, Any] = {
        "plan_id": "",
        "created_at": now_iso(),
        "profile": report.get("profile", session.profile),
        "region": report.get("region") or session.region,
        "account": report.get("account"),
        "role_arn": role.get("arn"),
        "kms_key_arn": next(iter(report_kms_keys(report) or []), None),
        "inputs": check_inputs(report),
        "policy_name": policy_name,
        "as_guide": as_guide,
        "mode": mode_of(writes, blocked, as_guide),
        "nothing_to_do": not writes,
        "writes": writes,
        "skipped": skipped,
        "blocked": blocked,
        "notes": notes,
        "handoff": build_handoff(
            writes=writes, blocked=blocked, skipped=skipped, account=report.get("account"), policy_name=policy_name
        ),
        "reads": {"spec": spec.to_json(), "state": state_to_list(state)},
    }
    plan["plan_id"] = plan_digest(plan)
    store.save_plan(plan)
    return plan


def mode_of(writes: list[Write], blocked: list[Blocked], as_guide: bool) -> dict[str, Any]:
    """``{"name", "text", "warnings"}``: which statements the plan writes, said plainly for the preview."""
    if not as_guide:
        return {"name": "least_privilege", "text": LEAST_PRIVILEGE_TEXT, "warnings": []}
    statements = [st for w in writes for st in ((w.get("after") or {}).get("Statement") or [])]
    statements += [st for b in blocked for st in b.get("statements") or []]
    added = {s for b in blocked for s in b["sids"]}
    for w in writes:
        renames = w.get("sid_renames") or {}
        added.update(renames.get(sid, sid) for sid in w.get("adds_sids") or [])
    warnings = broad_grants([st for st in statements if isinstance(st, dict) and st.get("Sid") in added])
    return {"name": "as_guide", "text": AS_GUIDE_TEXT, "warnings": list(dict.fromkeys(warnings))}


def fixed_statements(plan: dict[str, Any]) -> set[tuple[str, str]]:
    """``(target, sid)`` of every statement the plan's writes add (what verify waits for)."""
    out: set[tuple[str, str]] = set()
    for write in plan.get("writes", []):
        sids = write.get("adds_sids") or []
        targets = write.get("adds_targets") or ["kms" if sid == KMS_SID else write["target"] for sid in sids]
        out.update(zip(targets, sids, strict=True))
    return out
