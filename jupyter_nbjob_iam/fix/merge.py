"""Pure document merging: add what the scheduler needs, never remove or narrow anything.

Both merges only ever *append*: a statement to a policy, a service principal to a trust policy.
Nothing already in the document is deleted, reordered or edited (its ``Version`` included: a policy
without ``"2012-10-17"`` is not extended at all, see ``merge_statements``), except that a lone ``Statement``
object becomes a one-element list, and a trust statement's ``Service`` string becomes a list when a
service is added to it (both keep their meaning exactly). An Allow-only addition cannot take away a
permission IAM granted before: IAM allows a request when any statement allows it and none denies it,
so adding Allow statements can only turn implicit denies into allows. (``tests/fix`` proves this with
the evaluator over generated policies.)

The same-Sid rule (the tool's own policy already has a statement with the guide's Sid):
- identical to the guide's statement (Sid aside, ``"a"`` and ``["a"]`` alike): nothing is added;
- different (an older, narrower or hand-edited version): it is **kept as it is**, and the guide's
  statement is added beside it under the next free Sid, ``EventBridgeSchedule2``, ``...3``, ...
  Replacing it would be simpler to read but could narrow what someone added on purpose; keeping
  both is the union of the two, which is never narrower. Sids stay unique within the policy, as IAM
  requires.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

POLICY_VERSION = "2012-10-17"
_LISTY = ("Action", "NotAction", "Resource", "NotResource")


class MergeError(ValueError):
    """The existing document cannot be merged into safely (not a JSON policy object)."""


def canonical(obj: Any) -> str:
    """Canonical JSON text: sorted keys, no whitespace. Equal text = equal documents."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def empty_policy() -> dict[str, Any]:
    return {"Version": POLICY_VERSION, "Statement": []}


def _statements(doc: Any, what: str) -> tuple[dict[str, Any], list[Any]]:
    """A deep copy of ``doc`` with its ``Statement`` as a list, and that list."""
    if doc is None:
        out = empty_policy()
        return out, out["Statement"]
    if not isinstance(doc, dict):
        raise MergeError(f"The existing {what} is not a JSON policy object, so it cannot be extended safely.")
    out = copy.deepcopy(doc)
    stmts = out.get("Statement")
    if stmts is None:
        stmts = []
    elif isinstance(stmts, dict):
        stmts = [stmts]
    elif not isinstance(stmts, list):
        raise MergeError(f"The existing {what} has a Statement that is neither a list nor an object.")
    out["Statement"] = stmts
    # An existing document's Version is never touched: without "2012-10-17" (or with "2008-10-17")
    # IAM reads ${...} as literal text, so adding a Version would turn it into live policy variables.
    return out, stmts


def _normal(statement: Any) -> Any:
    """A statement without its Sid, with one-element lists and lone strings made alike."""
    if not isinstance(statement, dict):
        return statement
    out = {k: v for k, v in statement.items() if k != "Sid"}
    for key in _LISTY:
        value = out.get(key)
        if isinstance(value, str):
            out[key] = [value]
        elif isinstance(value, list):
            out[key] = sorted(str(v) for v in value)
    return out


def same_statement(a: Any, b: Any) -> bool:
    """True when two statements grant exactly the same (their Sids aside)."""
    return canonical(_normal(a)) == canonical(_normal(b))


def _free_sid(sid: str, used: set[str]) -> str:
    if sid not in used:
        return sid
    n = 2
    while f"{sid}{n}" in used:
        n += 1
    return f"{sid}{n}"


@dataclass
class StatementMerge:
    """``document`` after the merge; ``written[i]`` is the Sid the ``i``-th required statement was
    written under, or None when its exact statement was already there."""

    document: dict[str, Any]
    sids: list[str] = field(default_factory=list)
    written: list[str | None] = field(default_factory=list)

    @property
    def added(self) -> list[tuple[str, str]]:
        """``(guide Sid, Sid written)`` of each statement added, in order."""
        return [(sid, w) for sid, w in zip(self.sids, self.written, strict=True) if w is not None]

    @property
    def added_index(self) -> list[int]:
        return [i for i, w in enumerate(self.written) if w is not None]

    @property
    def present_index(self) -> list[int]:
        return [i for i, w in enumerate(self.written) if w is None]


def merge_statements(existing: Any, required: list[dict[str, Any]], *, what: str = "policy") -> StatementMerge:
    """Append each ``required`` statement (each with a ``Sid``) that ``existing`` does not hold yet.

    ``existing`` None means the policy does not exist yet (a new one is started). Never changes or
    removes a statement of ``existing``; see the module docstring for the same-Sid rule. Two required
    statements may share a Sid (the guide's user and role policies both have ``SagemakerJobs``, and
    one role can be both): the second is written under a suffixed Sid like any other collision.
    """
    if existing is not None and isinstance(existing, dict) and existing.get("Version") != POLICY_VERSION:
        raise MergeError(
            f"The existing {what} does not declare Version {POLICY_VERSION} (it has "
            f"{existing.get('Version') or 'no Version'}), so IAM reads it by older rules. The fix does not add "
            "to it, since changing its Version could change what it grants; an administrator applies the "
            "hand-off's documents."
        )
    doc, stmts = _statements(existing, what)
    used = {str(s.get("Sid")) for s in stmts if isinstance(s, dict) and s.get("Sid") is not None}
    result = StatementMerge(document=doc)
    for req in required:
        sid = str(req["Sid"])
        result.sids.append(sid)
        if any(same_statement(s, req) for s in stmts):
            result.written.append(None)
            continue
        new_sid = _free_sid(sid, used)
        added = copy.deepcopy(req)
        added["Sid"] = new_sid
        stmts.append(added)
        used.add(new_sid)
        result.written.append(new_sid)
    return result


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _is_plain_assume_role_allow(stmt: Any) -> bool:
    """An ``Allow sts:AssumeRole`` statement for service principals only, without conditions:
    the only kind a service is added to (anything else gets a statement of its own)."""
    if not isinstance(stmt, dict) or stmt.get("Effect") != "Allow":
        return False
    if set(stmt) - {"Sid", "Effect", "Principal", "Action"}:
        return False
    actions = _as_list(stmt.get("Action"))
    principal = stmt.get("Principal")
    return (
        actions == ["sts:AssumeRole"]
        and isinstance(principal, dict)
        and set(principal) == {"Service"}
        and all(isinstance(s, str) for s in _as_list(principal["Service"]))
    )


def trusted_services(doc: Any) -> set[str]:
    """Services a plain (unconditional) Allow ``sts:AssumeRole`` statement names."""
    try:
        _, stmts = _statements(doc, "trust policy")
    except MergeError:
        return set()
    out: set[str] = set()
    for stmt in stmts:
        if _is_plain_assume_role_allow(stmt):
            out.update(_as_list(stmt["Principal"]["Service"]))
    return out


@dataclass
class TrustMerge:
    document: dict[str, Any]
    added: list[str] = field(default_factory=list)
    guarded: str = ""  # the guard keys the added statement carries ("aws:SourceAccount and ..."), if any


# Condition keys that guard a service principal against the confused deputy: a statement the fix
# joins that carries them gets a sibling for the new service with the same conditions.
DEPUTY_GUARD_KEYS = frozenset({"aws:sourceaccount", "aws:sourcearn"})


def deputy_guard(stmt: Any) -> dict[str, Any] | None:
    """The ``aws:SourceAccount`` / ``aws:SourceArn`` conditions of an Allow ``sts:AssumeRole``
    statement for service principals (``{operator: {key: value}}``), else None."""
    if (
        not isinstance(stmt, dict)
        or stmt.get("Effect") != "Allow"
        or "sts:AssumeRole" not in _as_list(stmt.get("Action"))
    ):
        return None
    principal, condition = stmt.get("Principal"), stmt.get("Condition")
    if not isinstance(principal, dict) or set(principal) != {"Service"} or not isinstance(condition, dict):
        return None
    guard = {
        op: {k: v for k, v in block.items() if str(k).lower() in DEPUTY_GUARD_KEYS}
        for op, block in condition.items()
        if isinstance(block, dict)
    }
    return {op: block for op, block in guard.items() if block} or None


def merge_trust(existing: Any, services: list[str]) -> TrustMerge:
    """Let each of ``services`` assume the role, keeping every existing statement and principal.

    A service already named by a plain Allow statement (or one guarded only by ``aws:SourceAccount`` /
    ``aws:SourceArn``) is not added again. When the role's service trust is guarded that way, the
    missing services get a statement of their own carrying the same conditions, so the guard is not
    dropped for them; otherwise they are appended to the ``Service`` list of the first plain
    ``Allow sts:AssumeRole`` statement, or, when there is none, one such statement is appended.
    """
    doc, stmts = _statements(existing, "trust policy")
    have = trusted_services(doc)
    for stmt in stmts:
        guard = deputy_guard(stmt)
        if guard is not None and guard == stmt["Condition"]:  # guarded by nothing else
            have.update(s for s in _as_list(stmt["Principal"]["Service"]) if isinstance(s, str))
    missing = [s for s in dict.fromkeys(services) if s not in have]
    result = TrustMerge(document=doc)
    if not missing:
        return result
    guard = next((g for g in map(deputy_guard, stmts) if g is not None), None)
    if guard is not None:
        stmts.append(
            {
                "Effect": "Allow",
                "Principal": {"Service": missing},
                "Action": "sts:AssumeRole",
                "Condition": copy.deepcopy(guard),
            }
        )
        result.added = missing
        result.guarded = " and ".join(sorted({key for block in guard.values() for key in block}))
        return result
    for stmt in stmts:
        if _is_plain_assume_role_allow(stmt):
            stmt["Principal"]["Service"] = _as_list(stmt["Principal"]["Service"]) + missing
            break
    else:
        stmts.append({"Effect": "Allow", "Principal": {"Service": missing}, "Action": "sts:AssumeRole"})
    result.added = missing
    return result
