"""Apply a stored plan: re-read, refuse on any change, back up, write, journal, resume, verify.

Order of events for ``apply_plan(session, plan_id)``:

0. Refuse (``account_mismatch``) unless the credentials are for the account the plan was made in,
   and refuse a stored plan that no longer hashes to its id (every field apply acts on is bound).
1. Take the store's lock and one lock per principal written to, shared by every state directory (a
   second apply or undo at the same time, from the CLI or the server, gets ``plan_conflict`` at once).
2. Load the plan and the journal of an earlier apply of it (if any): which writes landed. A journal
   whose backup is gone (or damaged) is stale: the live state decides.
3. Re-read the live state the plan read. It must equal the plan's state with the landed writes'
   effects folded in; a write whose outcome was never recorded (a crash, a lost answer) counts as
   landed when the live state shows its effect. A journal whose landed writes were all reverted since
   (the live state is again exactly the plan's) is stale: the plan is applied afresh in a new backup.
   Any other difference: ``ConflictError`` (``plan_conflict``), nothing written. A plan whose writes
   all landed is not applied twice.
4. For each write not landed yet: re-read its target right before writing. If it is not what the
   plan (with the writes before it) left there, someone else changed it since: stop with
   ``plan_conflict`` naming the target and listing what was already written (and the backup that
   undoes it); nothing of theirs is overwritten. Otherwise save what is really there in the backup
   (``status: pending``), guard against SSO / service-linked principals, write, mark ``applied``. A
   ``ConcurrentModification`` re-reads and compares (``aws_writes.Recheck``): resend only while the
   target is unchanged, done if it shows the write, ``plan_conflict`` if someone else changed it. The
   first refusal (AccessDenied, UnmodifiableEntity, LimitExceeded, ...) stops the run: the result
   lists exactly what landed (``applied``), what was refused (``failed``) and what was not tried
   (``not_attempted``), with the hand-off. Applying the same plan again resumes.
5. Release the locks; verify (``verify.py``) when everything landed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..aws import writes as aws_writes
from ..aws.session import AwsSession
from ..constants import DEFAULT_POLICY_NAME
from ..errors import ConflictError, InputError, NbJobIamError
from ..handoff import build_handoff
from .plan import fixed_statements, plan_digest
from .principals import assert_writable
from .state import (
    MISSING,
    ReadSpec,
    apply_effect,
    differences,
    key_label,
    read_key,
    read_state,
    same_value,
    state_from_list,
    write_key,
    write_landed,
)
from .store import PlanStore, new_backup_id, now_iso
from .verify import VERIFY_TIMEOUT, CheckFn, default_check_fn, report_json
from .verify import verify as verify_fix


def brief(write: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"write_id": write["write_id"], "api_call": write["api_call"], "summary": write["summary"], **extra}


def reconcile(
    live: dict[str, Any], planned: dict[str, Any], writes: list[dict[str, Any]], entries: dict[str, dict[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``(expected state, landed writes)`` given the journal ``entries``; entries whose outcome is
    unknown (pending, failed) are settled by the live state and updated in place."""
    expected = planned
    landed: list[dict[str, Any]] = []
    for w in writes:
        entry = entries.get(w["write_id"])
        status = entry.get("status") if entry else None
        if entry is not None and (status == "pending" or status == "failed"):
            if write_landed(live, expected, w) is True:
                entry["status"] = "applied"
                entry.setdefault("applied_at", now_iso())
                status = "applied"
        if status == "applied":
            expected = apply_effect(expected, w)
            landed.append(w)
    return expected, landed


def check_account(session: AwsSession, expected: Any, what: str, details: dict[str, Any]) -> None:
    """Refuse (``ConflictError`` ``account_mismatch``, nothing written) unless the session's
    credentials are for the account ``what`` was made in: writes name principals only by name, so
    other credentials would write to a same-named user or role of another account."""
    actual = session.caller_identity().get("Account")
    if expected and actual == expected:
        return
    account = f"AWS account {expected}" if expected else "an AWS account it does not record"
    raise ConflictError(
        f"Nothing was written: {what} was made for {account}, but the current credentials are for account "
        f"{actual}. Use the credentials (profile) it was made with, or check again and make a new plan.",
        error_code="account_mismatch",
        details={**details, "expected_account": expected, "actual_account": actual},
    )


def conflict(keys: list[str], plan_id: str, what: str) -> ConflictError:
    return ConflictError(
        f"{what}: the live IAM documents changed since the plan was made ({', '.join(keys)}). Nothing "
        "was written. Check again and make a new plan.",
        details={"plan_id": plan_id, "changed": keys},
    )


def _perform(
    session: AwsSession,
    write: dict[str, Any],
    entry: dict[str, Any],
    save: Callable[[], None],
    recheck: aws_writes.Recheck,
) -> dict:
    """Make one write; returns what undo needs to know about it (ids IAM chose)."""
    p = write["principal"]
    call = write["api_call"]
    if call in ("iam:PutUserPolicy", "iam:PutRolePolicy"):
        aws_writes.put_inline_policy(session, p["type"], p["name"], write["policy_name"], write["after"], recheck)
        return {}
    if call == "iam:UpdateAssumeRolePolicy":
        aws_writes.update_trust_policy(session, p["name"], write["after"], recheck)
        return {}
    if call == "iam:CreatePolicy":
        arn = aws_writes.create_managed_policy(session, write["policy_name"], write["after"], recheck=recheck)
        return {"policy_arn": arn or write["policy_arn"]}
    if call in ("iam:AttachUserPolicy", "iam:AttachRolePolicy"):
        aws_writes.attach_policy(session, p["type"], p["name"], write["policy_arn"], recheck)
        return {}
    policy = aws_writes.get_managed_policy(session, write["policy_arn"])
    if policy is None or not policy.get("tool_owned"):
        raise InputError(
            f"The managed policy {write['policy_arn']} is not one this tool created; it is left alone.",
            error_code="not_tool_owned",
            details={"policy_arn": write["policy_arn"]},
        )
    if call == "iam:CreatePolicyVersion":
        entry["previous_default"] = policy["DefaultVersionId"]
        save()
        version = aws_writes.create_policy_version(session, write["policy_arn"], write["after"], recheck=recheck)
        return {"version_id": version, "previous_default": policy["DefaultVersionId"]}
    if call == "iam:DeletePolicyVersion":
        if policy.get("DefaultVersionId") == write["version_id"]:
            raise InputError(
                f"Version {write['version_id']} of {write['policy_arn']} is now the default: it is not deleted.",
                details={"policy_arn": write["policy_arn"], "version_id": write["version_id"]},
            )
        aws_writes.delete_policy_version(session, write["policy_arn"], write["version_id"], recheck)
        return {}
    raise InputError(f"Unknown write {call} in the plan.", details={"api_call": call})  # pragma: no cover


def _changed_since(key: str, expected: Any, live: Any) -> str:
    """What changed at ``key``, in words (for ``plan_conflict``)."""

    def count(value: Any) -> str:
        doc = value.get("document") if isinstance(value, dict) and "exists" in value else value
        if doc is MISSING or doc is None or (isinstance(value, dict) and value.get("exists") is False):
            return "none"
        if isinstance(doc, list):
            return f"{len(doc)} attached"
        statements = doc.get("Statement") if isinstance(doc, dict) else None
        n = len(statements) if isinstance(statements, list) else 1
        return f"{n} statement{'s' if n != 1 else ''}"

    return f"{key_label(key)} changed since the plan was made (the plan expected {count(expected)}, now {count(live)})"


def _stop_for_conflict(
    write: dict[str, Any], key: str, why: str, result: dict[str, Any], backup: dict[str, Any]
) -> ConflictError:
    written = ", ".join(f"{a['write_id']} ({a['api_call']})" for a in result["applied"]) or "nothing"
    undo_hint = f" Undo them with backup {backup['backup_id']}." if result["applied"] else ""
    return ConflictError(
        f"Stopped before {write['write_id']} ({write['api_call']}): {why}; someone else is changing it, and the "
        f"fix never overwrites their change. Already written: {written}.{undo_hint} Check again and make a new plan.",
        error_code="plan_conflict",
        details={
            "plan_id": backup["plan_id"],
            "backup_id": backup["backup_id"],
            "changed": [key],
            "target": key_label(key),
            "stopped_at": write["write_id"],
            "applied": result["applied"],
        },
    )


def plan_principals(plan: dict[str, Any]) -> list[str]:
    """The ARNs of the principals a plan writes to (their shared locks)."""
    return sorted({str((w.get("principal") or {}).get("arn")) for w in plan.get("writes") or []})


def _new_backup(plan: dict[str, Any]) -> dict[str, Any]:
    return {
        "backup_id": new_backup_id(),
        "plan_id": plan["plan_id"],
        "created_at": now_iso(),
        "profile": plan.get("profile"),
        "region": plan.get("region"),
        "account": plan.get("account"),
        "role_arn": plan.get("role_arn"),
        "kms_key_arn": plan.get("kms_key_arn"),
        "policy_name": plan.get("policy_name"),
        "entries": [],
        "undone_at": None,
    }


def _entry(write: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "write_id",
        "api_call",
        "summary",
        "principal",
        "policy_name",
        "policy_arn",
        "version_id",
        "before",
        "after",
    )
    return {**{k: write.get(k) for k in keys}, "state_key": write_key(write), "status": "pending"}


def _apply_locked(session: AwsSession, plan: dict[str, Any], store: PlanStore) -> dict[str, Any]:
    plan_id = plan["plan_id"]
    writes = plan["writes"]
    spec = ReadSpec.from_json(plan["reads"]["spec"])
    planned = state_from_list(plan["reads"]["state"])
    journal = store.get_journal(plan_id)
    backup = store.load_backup(journal["backup_id"]) if journal else None
    entries = {e["write_id"]: e for e in (backup or {}).get("entries", [])}
    live, _ = read_state(session, spec)
    expected, landed = reconcile(live, planned, writes, entries)
    changed = differences(live, expected)
    if changed and landed and not differences(live, planned):
        # The live state is exactly what the plan read, so none of the writes the journal says landed is
        # in effect any more (reverted by hand since): the journal is stale. Apply afresh, in a new backup;
        # otherwise the plan (and every new plan of this state: the same id) would conflict forever.
        backup, entries, expected, landed, changed = None, {}, planned, [], []
    if changed:
        raise conflict(changed, plan_id, "The fix was not applied")
    if writes and len(landed) == len(writes):
        raise ConflictError(
            "This plan was already applied completely"
            + (f" (backup {backup['backup_id']})." if backup else ".")
            + " Check again: a new plan shows anything still missing.",
            details={"plan_id": plan_id, "backup_id": backup["backup_id"] if backup else None},
        )
    result: dict[str, Any] = {
        "plan_id": plan_id,
        "status": "applied",
        "backup_id": None,
        "applied": [],
        "failed": [],
        "not_attempted": [],
    }
    if not writes:
        return result
    if backup is None:
        backup = _new_backup(plan)
        store.save_backup(backup)
        store.set_journal(plan_id, {"plan_id": plan_id, "backup_id": backup["backup_id"]})
    else:
        store.save_backup(backup)  # entries settled by reconcile
    result["backup_id"] = backup["backup_id"]
    landed_ids = {w["write_id"] for w in landed}
    stopped = False
    for w in writes:
        if w["write_id"] in landed_ids:
            result["applied"].append(brief(w, resumed=True))
            continue
        if stopped:
            result["not_attempted"].append(brief(w))
            continue
        key = write_key(w)
        try:
            assert_writable(w["principal"])
            current = read_key(session, key)  # re-read right before the write: the plan's view may be stale
        except NbJobIamError as exc:
            result["failed"].append(brief(w, error=exc.to_json()))
            stopped = True
            continue
        if not same_value(current, expected.get(key, MISSING)):
            store.save_backup(backup)
            raise _stop_for_conflict(w, key, _changed_since(key, expected.get(key, MISSING), current), result, backup)
        entry = entries.get(w["write_id"])
        if entry is None:
            entry = _entry(w)
            backup["entries"].append(entry)
            entries[w["write_id"]] = entry
        if key.startswith(("inline:", "trust:")):
            entry["before"] = None if current is MISSING else current  # what is really overwritten
        entry.update(status="pending", error=None)

        def save() -> None:
            store.save_backup(backup)

        save()  # the previous document is on disk before the write
        try:
            entry["result"] = _perform(session, w, entry, save, _recheck(session, w, key, expected))
        except ConflictError as exc:
            if "why" not in exc.details:
                raise
            entry.update(status="failed", error=exc.to_json(), failed_at=now_iso())
            save()
            raise _stop_for_conflict(w, key, exc.details["why"], result, backup) from None
        except NbJobIamError as exc:
            if _landed_anyway(session, spec, expected, w):
                entry["result"] = {}
            else:
                entry.update(status="failed", error=exc.to_json(), failed_at=now_iso())
                save()
                result["failed"].append(brief(w, error=exc.to_json()))
                stopped = True
                continue
        entry.update(status="applied", applied_at=now_iso())
        save()
        expected = apply_effect(expected, w)
        result["applied"].append(brief(w))
    if result["failed"]:
        result["status"] = "partial" if result["applied"] else "failed"
        remaining = [w for w in writes if w["write_id"] not in {a["write_id"] for a in result["applied"]}]
        result["handoff"] = build_handoff(
            writes=remaining,
            blocked=plan.get("blocked"),
            skipped=plan.get("skipped"),
            account=plan.get("account"),
            policy_name=plan.get("policy_name") or DEFAULT_POLICY_NAME,
        )
    return result


def _recheck(session: AwsSession, write: dict[str, Any], key: str, expected: dict[str, Any]) -> aws_writes.Recheck:
    """After a ConcurrentModification: re-read the target and compare, never resend blindly."""

    def recheck() -> str:
        current = read_key(session, key)
        live = {} if current is MISSING else {key: current}
        landed = write_landed(live, expected, write)
        if landed is True:
            return "landed"
        if landed is False:
            return "resend"
        why = _changed_since(key, expected.get(key, MISSING), current)
        raise ConflictError(
            f"{why} (IAM said another change was in flight)", error_code="plan_conflict", details={"why": why}
        )

    return recheck


def _landed_anyway(session: AwsSession, spec: ReadSpec, expected: dict[str, Any], write: dict[str, Any]) -> bool:
    """After an error (a timeout, a reset connection), did the write land all the same?"""
    try:
        live, _ = read_state(session, spec)
    except NbJobIamError:
        return False
    return write_landed(live, expected, write) is True


def apply_plan(
    session: AwsSession,
    plan_id: str,
    *,
    store: PlanStore,
    verify: bool = True,
    verify_timeout: float = VERIFY_TIMEOUT,
    check_fn: CheckFn | None = None,
    sleep: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """Apply the plan ``plan_id`` from ``store`` (docs/API.md, "apply result")."""
    store.check_plan_id(plan_id)
    plan = store.load_plan(plan_id)
    if plan_digest(plan) != plan_id:
        # The writes are exactly what the person saw: a plan file edited since is never applied.
        raise ConflictError(
            "The stored plan no longer matches its id (the file was changed after the preview). Nothing "
            "was written. Check again and make a new plan.",
            details={"plan_id": plan_id},
        )
    store.add_secrets(aws_writes.credential_values(session))
    check_account(session, plan.get("account"), "this plan", {"plan_id": plan_id})
    with store.lock(plan.get("account"), plan_principals(plan)):
        result = _apply_locked(session, plan, store)
    check = check_fn or default_check_fn(plan)
    result.update(verified=False, verify_attempts=0, report=None)
    if not verify:
        return result
    if result["status"] == "applied":
        kwargs: dict[str, Any] = {"timeout": verify_timeout}
        if sleep is not None:
            kwargs["sleep"] = sleep
        outcome = verify_fix(session, check, fixed_statements(plan), **kwargs)
        result.update(
            verified=outcome["verified"],
            verify_attempts=outcome["verify_attempts"],
            report=outcome["report"],
        )
        if outcome["still_missing"]:
            result["still_missing"] = outcome["still_missing"]
        if outcome["verify_error"]:
            result["verify_error"] = outcome["verify_error"]
    else:
        try:  # one check, so the result shows where things stand; no waiting
            result["report"] = report_json(check(session))
            result["verify_attempts"] = 1
        except NbJobIamError as exc:
            result["verify_error"] = exc.to_json()
    return result
