"""Undo one apply: put back exactly the documents it replaced, remove what it created.

Undo is bound to the plan, never to what the backup file says: the backup only names the plan and
which of its writes landed. The plan is loaded and must still hash to its id (``plan_digest``: every
field undo acts on is covered), else ``backup_mismatch`` and nothing is written. Every write undo
makes is derived from the plan's writes: the principal, policy name and ARN, and each ``before`` (the
state the plan read with the earlier landed writes folded in, or, for a deleted version, the document
the plan recorded). A backup naming a write the plan does not have is refused the same way. IDs IAM
chose (the version a ``CreatePolicyVersion`` added) are found again in the live policy, by document.

``undo(session, backup_id)`` takes the store's lock and the principals' shared locks, refuses
(``account_mismatch``) credentials of another account than the plan's, reads the live state of every
entry the apply changed and refuses with ``plan_conflict`` (nothing written) unless each is still
exactly what the apply left there: a later edit by someone else is never clobbered. Then, newest first:

- an inline policy it created is deleted; one it extended gets its previous document back;
- a trust policy gets its previous document back;
- a managed policy it attached is detached; one it created is deleted, unless it is attached
  elsewhere too (someone attached it since; IAM's ``DeleteConflict``): then it is only detached
  from the fix's principal and kept, and the result says so; a version it added is removed after
  the previous default is made the default again; a version it deleted to make room (of the tool's
  own policy) is re-created from the plan as a non-default version (IAM gives it a new id).

Each entry is marked ``undone`` (or ``kept``) as it goes. When a revert fails, undo stops there and
raises that error, its ``details`` listing what was reverted (``restored``) and what was not
(``not_restored``); running undo again resumes with what is left.
"""

from __future__ import annotations

from typing import Any

from ..aws import writes as aws_writes
from ..aws.session import AwsSession
from ..errors import ConflictError, NbJobIamError
from .apply import check_account, plan_principals, reconcile
from .plan import legacy_digest, plan_digest
from .principals import assert_writable
from .state import MISSING, ReadSpec, apply_effect, read_state, same_value, state_from_list, write_key
from .store import PlanStore, now_iso
from .verify import CheckFn, default_check_fn, report_json


def bound_plan(store: PlanStore, backup: dict[str, Any]) -> dict[str, Any]:
    """The plan ``backup`` belongs to, verified by its digest; ``backup_mismatch`` otherwise, or when
    the backup names a write the plan does not have."""
    backup_id = backup["backup_id"]
    try:
        plan = store.load_plan(backup["plan_id"])
    except NbJobIamError as exc:
        raise _mismatch(backup_id, f"its plan cannot be loaded ({exc.message})") from None
    digest = legacy_digest(plan) if "as_guide" not in plan else plan_digest(plan)  # older plans: see there
    if digest != backup["plan_id"] or plan.get("plan_id") != backup["plan_id"]:
        raise _mismatch(backup_id, "its plan was changed after the preview")
    known = {w.get("write_id") for w in plan.get("writes") or []}
    strangers = [e["write_id"] for e in backup["entries"] if e["write_id"] not in known]
    if strangers:
        raise _mismatch(backup_id, f"it names writes the plan does not have ({', '.join(strangers)})")
    return plan


def _mismatch(backup_id: str, why: str) -> ConflictError:
    return ConflictError(
        f"Nothing was undone: the backup {backup_id} does not match the fix it claims to be from: {why}.",
        error_code="backup_mismatch",
        details={"backup_id": backup_id},
    )


def undo_preview(store: PlanStore, backup_id: str) -> list[dict[str, Any]]:
    """``[{"write_id", "api_call", "summary"}]`` of what undo would revert, newest first, in the plan's
    words (what the person saw in the preview), never the backup's."""
    backup = store.load_backup(backup_id)
    plan = bound_plan(store, backup)
    landed = {e["write_id"] for e in backup["entries"] if e.get("status") == "applied"}
    writes = [w for w in plan["writes"] if w["write_id"] in landed]
    return [{"write_id": w["write_id"], "api_call": w["api_call"], "summary": w["summary"]} for w in reversed(writes)]


def _still_as_applied(live: dict[str, Any], expected: dict[str, Any], landed: list[dict[str, Any]]) -> list[str]:
    changed: list[str] = []
    for w in landed:
        key = write_key(w)
        if w["api_call"] in ("iam:AttachUserPolicy", "iam:AttachRolePolicy"):
            ok = w["policy_arn"] in (live.get(key) or [])
        else:
            ok = same_value(live.get(key), expected.get(key))
        if not ok and key not in changed:
            changed.append(key)
    return changed


def _befores(planned: dict[str, Any], landed: list[dict[str, Any]]) -> dict[str, Any]:
    """``{write_id: the value its key had just before it}``, from the plan alone."""
    out: dict[str, Any] = {}
    state = planned
    for w in landed:
        out[w["write_id"]] = state.get(write_key(w), MISSING)
        state = apply_effect(state, w)
    return out


def _revert(session: AwsSession, w: dict[str, Any], before: Any, versions: dict[str, Any]) -> dict[str, Any]:
    """Undo one landed write of the plan; ``{"api_call", "summary"}`` of what was done (``kept``
    set when a policy was left in place)."""
    call = w["api_call"]
    p = w.get("principal") or {}
    who = f"{p.get('type')} {p.get('name')}"
    if call in ("iam:PutUserPolicy", "iam:PutRolePolicy"):
        cap = p["type"].capitalize()
        if before is MISSING or before is None:
            aws_writes.delete_inline_policy(session, p["type"], p["name"], w["policy_name"])
            return {
                "api_call": f"iam:Delete{cap}Policy",
                "summary": f"Deleted the inline policy {w['policy_name']} the fix had created on {who}.",
            }
        aws_writes.put_inline_policy(session, p["type"], p["name"], w["policy_name"], before)
        return {"api_call": call, "summary": f"Restored the inline policy {w['policy_name']} of {who} as it was."}
    if call == "iam:UpdateAssumeRolePolicy":
        aws_writes.update_trust_policy(session, p["name"], before)
        return {"api_call": call, "summary": f"Restored the trust policy of role {p.get('name')} as it was."}
    if call in ("iam:AttachUserPolicy", "iam:AttachRolePolicy"):
        aws_writes.detach_policy(session, p["type"], p["name"], w["policy_arn"])
        return {"api_call": call.replace("Attach", "Detach"), "summary": f"Detached {w['policy_name']} from {who}."}
    arn = w["policy_arn"]
    if call == "iam:CreatePolicy":
        return _delete_created_policy(session, w)
    if call == "iam:CreatePolicyVersion":
        previous, version_id = versions["previous_default"], versions["version_id"]
        aws_writes.set_default_policy_version(session, arn, previous)
        aws_writes.delete_policy_version(session, arn, version_id)
        return {
            "api_call": "iam:DeletePolicyVersion",
            "summary": f"Made version {previous} of {w['policy_name']} the default again and deleted "
            f"version {version_id} the fix had added.",
        }
    if call == "iam:DeletePolicyVersion":
        if w.get("before") is None:
            return {
                "api_call": "none",
                "summary": f"Version {w.get('version_id')} of {w['policy_name']} "
                "cannot be re-created: its document was not read.",
            }
        new_id = aws_writes.create_policy_version(session, arn, w["before"], set_default=False)
        return {
            "api_call": "iam:CreatePolicyVersion",
            "summary": f"Re-created the deleted version {w.get('version_id')} of {w['policy_name']} "
            f"as non-default version {new_id}.",
        }
    raise NbJobIamError(f"Unknown write {call} in the plan.")  # pragma: no cover


def _delete_created_policy(session: AwsSession, w: dict[str, Any]) -> dict[str, Any]:
    """Delete the managed policy the fix created, unless something else uses it now: then keep it."""
    arn, name = w["policy_arn"], w["policy_name"]
    kept = {
        "api_call": "none",
        "kept": True,
        "summary": f"Kept the managed policy {name}: it is attached elsewhere as well (someone attached it "
        "after the fix), so undo only detached it from the fix's principal and did not delete it.",
    }
    policy = aws_writes.get_managed_policy(session, arn)
    if policy is not None and int(policy.get("AttachmentCount") or 0) > 0:
        return kept
    try:
        aws_writes.delete_managed_policy(session, arn)
    except NbJobIamError as exc:
        if aws_writes.error_code_of(exc) == "DeleteConflict":
            return kept
        raise
    return {"api_call": "iam:DeletePolicy", "summary": f"Deleted the managed policy {name} the fix had created."}


def _resolve_versions(session: AwsSession, entry: dict[str, Any]) -> dict[str, Any]:
    """``{"policy_arn", "version_id", "previous_default"}`` of a landed ``CreatePolicyVersion``, found
    in the live policy (``entry`` is built from the plan, ``_version_entry``): the version it added is
    the default one whose document is the write's ``after`` (undo already checked the live default is
    exactly that), the previous default the latest other version whose document is its ``before``.
    ``ConflictError`` (``undo_unresolved``) when either cannot be found."""
    result = entry.get("result") or {}
    arn = result.get("policy_arn") or entry.get("policy_arn")
    version_id = result.get("version_id")
    previous = result.get("previous_default") or entry.get("previous_default")
    if arn and version_id and previous:
        entry["result"] = {**result, "policy_arn": arn, "version_id": version_id, "previous_default": previous}
        return entry["result"]

    def missing(what: str) -> ConflictError:
        return ConflictError(
            f"Nothing was undone: {what} of {entry.get('policy_name')} could not be found, so undo cannot "
            "put the previous version back safely.",
            error_code="undo_unresolved",
            details={"policy_arn": arn, "write_id": entry.get("write_id")},
        )

    if not arn:
        raise missing("the policy ARN")
    versions = aws_writes.list_policy_versions(session, arn)
    if not version_id:
        found = [
            v["version_id"]
            for v in versions
            if v["is_default"]
            and same_value(aws_writes.get_policy_version_document(session, arn, v["version_id"]), entry.get("after"))
        ]
        if not found:
            raise missing("the version the fix added")
        version_id = found[0]
    if not previous:
        older = [
            v["version_id"]
            for v in versions
            if v["version_id"] != version_id
            and same_value(aws_writes.get_policy_version_document(session, arn, v["version_id"]), entry.get("before"))
        ]
        if not older:
            raise missing("the version that was the default before the fix")
        previous = older[-1]
    if previous == version_id:
        raise missing("the version that was the default before the fix")
    entry["result"] = {**result, "policy_arn": arn, "version_id": version_id, "previous_default": previous}
    return entry["result"]


def undo(session: AwsSession, backup_id: str, *, store: PlanStore, check_fn: CheckFn | None = None) -> dict[str, Any]:
    """Restore the documents one apply replaced (docs/API.md, "undo result")."""
    store.check_backup_id(backup_id)
    store.add_secrets(aws_writes.credential_values(session))
    plan = bound_plan(store, store.load_backup(backup_id))
    check_account(session, plan.get("account"), f"the fix {backup_id}", {"backup_id": backup_id})
    with store.lock(plan.get("account"), plan_principals(plan)):
        backup = store.load_backup(backup_id)  # again, under the lock
        plan = bound_plan(store, backup)
        if backup.get("undone_at"):
            raise ConflictError(
                f"The fix {backup_id} was already undone at {backup['undone_at']}.",
                error_code="already_undone",
                details={"backup_id": backup_id},
            )
        spec = ReadSpec.from_json(plan["reads"]["spec"])
        planned = state_from_list(plan["reads"]["state"])
        live, _ = read_state(session, spec)
        entries = {e["write_id"]: e for e in backup["entries"]}
        expected, landed = reconcile(live, planned, plan["writes"], entries)
        changed = _still_as_applied(live, expected, landed)
        if changed:
            raise ConflictError(
                "Nothing was undone: these documents changed after the fix was applied "
                f"({', '.join(changed)}), and undo never overwrites someone else's later edit.",
                details={"backup_id": backup_id, "changed": changed},
            )
        befores = _befores(planned, landed)
        versions = {  # everything a revert needs is known before the first write
            w["write_id"]: _resolve_versions(session, _version_entry(w, befores[w["write_id"]]))
            for w in landed
            if w["api_call"] == "iam:CreatePolicyVersion"
        }
        store.save_backup(backup)
        restored: list[dict[str, Any]] = []
        pending = list(reversed(landed))
        for i, w in enumerate(pending):
            entry = entries[w["write_id"]]
            try:
                assert_writable(w.get("principal") or {})
                done = _revert(session, w, befores[w["write_id"]], versions.get(w["write_id"]) or {})
            except NbJobIamError as exc:
                entry["undo_error"] = exc.to_json()
                store.save_backup(backup)
                exc.details.update(
                    backup_id=backup_id,
                    restored=restored,
                    not_restored=[
                        {"write_id": x["write_id"], "api_call": x["api_call"], "summary": x["summary"]}
                        for x in pending[i:]
                    ],
                )
                raise
            entry.update(status="kept" if done.get("kept") else "undone", undone_at=now_iso(), undo_error=None)
            restored.append({"write_id": w["write_id"], **done})
            store.save_backup(backup)
        backup["undone_at"] = now_iso()
        store.save_backup(backup)
        store.clear_journal(plan["plan_id"])
    result: dict[str, Any] = {"backup_id": backup_id, "restored": restored, "report": None}
    check = check_fn or default_check_fn(plan)
    try:
        result["report"] = report_json(check(session))
    except NbJobIamError as exc:
        result["check_error"] = exc.to_json()
    return result


def _version_entry(w: dict[str, Any], before: Any) -> dict[str, Any]:
    """What ``_resolve_versions`` needs of a ``CreatePolicyVersion``, from the plan only."""
    document = before.get("document") if isinstance(before, dict) else None
    return {
        "api_call": w["api_call"],
        "write_id": w["write_id"],
        "policy_arn": w["policy_arn"],
        "policy_name": w["policy_name"],
        "before": w.get("before") if w.get("before") is not None else document,
        "after": w["after"],
    }


__all__ = ["bound_plan", "undo", "undo_preview"]
