"""Undo one apply: put back exactly the documents it replaced, remove what it created.

``undo(session, backup_id)`` takes the store's lock, refuses (``account_mismatch``) credentials of
another account than the fix's, reads the live state of every entry the apply
changed and refuses with ``plan_conflict`` (nothing written) unless each is still exactly what the
apply left there: a later edit by someone else is never clobbered. Then, newest first:

- an inline policy it created is deleted; one it extended gets its previous document back;
- a trust policy gets its previous document back;
- a managed policy it attached is detached; one it created is deleted; a version it added is removed
  after the previous default is made the default again; a version it deleted to make room (of the
  tool's own policy) is re-created from the backup as a non-default version (IAM gives it a new id).

Each entry is marked ``undone`` as it goes, so an undo interrupted half-way can be run again.
"""

from __future__ import annotations

from typing import Any

from ..aws import writes as aws_writes
from ..aws.session import AwsSession
from ..errors import ConflictError, NbJobIamError
from .apply import check_account, reconcile
from .principals import assert_writable
from .state import ReadSpec, read_state, same_value, state_from_list, write_key
from .store import PlanStore, now_iso
from .verify import CheckFn, default_check_fn, report_json


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


def _revert(session: AwsSession, entry: dict[str, Any]) -> dict[str, Any]:
    """Undo one applied entry; returns ``{"api_call", "summary"}`` of what was done."""
    call = entry["api_call"]
    p = entry.get("principal") or {}
    who = f"{p.get('type')} {p.get('name')}"
    result = entry.get("result") or {}
    if call in ("iam:PutUserPolicy", "iam:PutRolePolicy"):
        cap = p["type"].capitalize()
        if entry.get("before") is None:
            aws_writes.delete_inline_policy(session, p["type"], p["name"], entry["policy_name"])
            return {
                "api_call": f"iam:Delete{cap}Policy",
                "summary": f"Deleted the inline policy {entry['policy_name']} the fix had created on {who}.",
            }
        aws_writes.put_inline_policy(session, p["type"], p["name"], entry["policy_name"], entry["before"])
        return {"api_call": call, "summary": f"Restored the inline policy {entry['policy_name']} of {who} as it was."}
    if call == "iam:UpdateAssumeRolePolicy":
        aws_writes.update_trust_policy(session, p["name"], entry["before"])
        return {"api_call": call, "summary": f"Restored the trust policy of role {p.get('name')} as it was."}
    if call in ("iam:AttachUserPolicy", "iam:AttachRolePolicy"):
        aws_writes.detach_policy(session, p["type"], p["name"], entry["policy_arn"])
        return {"api_call": call.replace("Attach", "Detach"), "summary": f"Detached {entry['policy_name']} from {who}."}
    arn = result.get("policy_arn") or entry["policy_arn"]
    if call == "iam:CreatePolicy":
        aws_writes.delete_managed_policy(session, arn)
        return {
            "api_call": "iam:DeletePolicy",
            "summary": f"Deleted the managed policy {entry['policy_name']} the fix had created.",
        }
    if call == "iam:CreatePolicyVersion":
        previous, version_id = result["previous_default"], result["version_id"]  # set by _resolve_versions
        aws_writes.set_default_policy_version(session, arn, previous)
        aws_writes.delete_policy_version(session, arn, version_id)
        return {
            "api_call": "iam:DeletePolicyVersion",
            "summary": f"Made version {previous} of {entry['policy_name']} the default again and deleted "
            f"version {version_id} the fix had added.",
        }
    if call == "iam:DeletePolicyVersion":
        if entry.get("before") is None:
            return {
                "api_call": "none",
                "summary": f"Version {entry.get('version_id')} of {entry['policy_name']} "
                "cannot be re-created: its document was not read.",
            }
        new_id = aws_writes.create_policy_version(session, arn, entry["before"], set_default=False)
        return {
            "api_call": "iam:CreatePolicyVersion",
            "summary": f"Re-created the deleted version {entry.get('version_id')} of {entry['policy_name']} "
            f"as non-default version {new_id}.",
        }
    raise NbJobIamError(f"Unknown write {call} in the backup.")  # pragma: no cover


def _resolve_versions(session: AwsSession, entry: dict[str, Any]) -> None:
    """Make sure a landed ``CreatePolicyVersion`` entry knows the version it added and the default it
    replaced, before undo writes anything. An entry settled from ``pending`` (the answer was lost, or
    it landed despite an error) has no ``version_id``: it is the default version whose document is the
    write's ``after`` (undo already checked the live default is exactly that). ``ConflictError`` when
    either cannot be found."""
    if entry["api_call"] != "iam:CreatePolicyVersion":
        return
    result = entry.get("result") or {}
    arn = result.get("policy_arn") or entry.get("policy_arn")
    version_id = result.get("version_id")
    previous = result.get("previous_default") or entry.get("previous_default")
    if arn and version_id and previous:
        entry["result"] = {**result, "policy_arn": arn, "version_id": version_id, "previous_default": previous}
        return

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


def undo(session: AwsSession, backup_id: str, *, store: PlanStore, check_fn: CheckFn | None = None) -> dict[str, Any]:
    """Restore the documents one apply replaced (docs/API.md, "undo result")."""
    store.check_backup_id(backup_id)
    store.add_secrets(aws_writes.credential_values(session))
    with store.lock():
        backup = store.load_backup(backup_id)
        if backup.get("undone_at"):
            raise ConflictError(
                f"The fix {backup_id} was already undone at {backup['undone_at']}.",
                error_code="already_undone",
                details={"backup_id": backup_id},
            )
        check_account(session, backup.get("account"), f"the fix {backup_id}", {"backup_id": backup_id})
        plan = store.load_plan(backup["plan_id"])
        spec = ReadSpec.from_json(plan["reads"]["spec"])
        live, _ = read_state(session, spec)
        entries = {e["write_id"]: e for e in backup["entries"]}
        expected, landed = reconcile(live, state_from_list(plan["reads"]["state"]), plan["writes"], entries)
        changed = _still_as_applied(live, expected, landed)
        if changed:
            raise ConflictError(
                "Nothing was undone: these documents changed after the fix was applied "
                f"({', '.join(changed)}), and undo never overwrites someone else's later edit.",
                details={"backup_id": backup_id, "changed": changed},
            )
        for w in landed:  # everything a revert needs is known before the first write
            _resolve_versions(session, entries[w["write_id"]])
        store.save_backup(backup)
        restored: list[dict[str, Any]] = []
        for w in reversed(landed):
            entry = entries[w["write_id"]]
            try:
                assert_writable(entry.get("principal") or {})
                try:
                    done = _revert(session, entry)
                except (KeyError, TypeError) as exc:  # a hand-edited or truncated backup: a 4xx, not a 500
                    raise ConflictError(
                        f"The backup's entry {w['write_id']} lacks what undo needs ({exc}); it was not undone.",
                        error_code="undo_unresolved",
                        details={"write_id": w["write_id"]},
                    ) from exc
            except NbJobIamError as exc:
                store.save_backup(backup)
                exc.details["restored"] = restored
                exc.details["backup_id"] = backup_id
                raise
            entry.update(status="undone", undone_at=now_iso())
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


__all__ = ["undo"]
