"""From per-request decisions to one status per required statement.

Each engine answers every concrete request (``catalog.CheckRequest``) with an :class:`Outcome`:
``ok``, ``missing``, ``denied``, ``conditional`` or ``unknown``. A statement then is

- ``denied``      when any of its requests is blocked by an explicit deny, a boundary or an SCP;
- ``unknown``     else when any could not be decided because policies could not be read;
- ``ok``          when every request is allowed;
- ``conditional`` when none is plainly missing but some depend on context the check cannot know;
- ``missing``     when none is allowed (nor conditionally allowed);
- ``partial``     otherwise: ``missing_actions`` lists the actions with a missing request.

``iam:PassRole`` is one action checked once per service it is passed to, so a statement can be
``partial`` on that single action; ``missing_services`` then names the services it may not be passed
to (the same field the trust check uses for services that may not assume the role).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog import CheckRequest, RequiredStatement
from .report import DecidedBy, StatementResult

PASSED_TO_SERVICE = "iam:PassedToService"


@dataclass(frozen=True)
class Outcome:
    """One request's answer. ``reason`` is a plain-words sentence for ``denied`` and ``unknown``."""

    request: CheckRequest
    status: str  # ok | missing | denied | conditional | unknown
    decided_by: tuple[DecidedBy, ...] = ()
    unknown_keys: tuple[str, ...] = ()
    reason: str = ""


def deny_reason(action: str, decided_by: tuple[DecidedBy, ...] | list[DecidedBy]) -> str:
    """The sentence for an explicit deny, naming the policies it came from."""
    where = _policies(list(decided_by)) or "a policy"
    return f"{action} is blocked by an explicit deny in {where}."


def _unique(items):
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _passed_to(request: CheckRequest) -> str | None:
    value = request.context.get(PASSED_TO_SERVICE) if request.action == "iam:PassRole" else None
    return value if isinstance(value, str) else None


def _describe(request: CheckRequest) -> str:
    service = _passed_to(request)
    return f"{request.action} (passed to {service})" if service else request.action


def _policies(decided_by: list[DecidedBy]) -> str:
    names = _unique(f"{d.policy} ({d.source})" for d in decided_by)
    return ", ".join(names)


def _join(items: list[str]) -> str:
    return ", ".join(items)


def summarize(stmt: RequiredStatement, outcomes: list[Outcome], *, ok_detail: str | None = None) -> StatementResult:
    """The statement's status from its requests' outcomes (see the module docstring)."""
    by_status: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_status.setdefault(outcome.status, []).append(outcome)
    not_ok = [o for o in outcomes if o.status != "ok"]
    missing_actions = _unique(o.request.action for o in not_ok if o.status in ("missing", "denied", "unknown"))
    missing_services = _unique(s for o in not_ok if o.status in ("missing", "denied") and (s := _passed_to(o.request)))
    unknown_keys = _unique(k for o in by_status.get("conditional", []) for k in o.unknown_keys)

    def result(status: str, detail: str, decided: list[DecidedBy], actions=missing_actions) -> StatementResult:
        return statement_result(
            stmt, status, detail, actions=actions, services=missing_services, keys=unknown_keys, decided=decided
        )

    if "denied" in by_status:
        denied = by_status["denied"]
        reasons = _unique(o.reason for o in denied if o.reason)
        decided = [d for o in denied for d in o.decided_by]
        return result("denied", " ".join(reasons) or "Blocked by a deny.", decided)
    if "unknown" in by_status:
        reasons = _unique(o.reason for o in by_status["unknown"] if o.reason)
        return result("unknown", " ".join(reasons) or "Your policies could not be read.", [])
    allowed = by_status.get("ok", [])
    allow_by = [d for o in allowed for d in o.decided_by]
    if not not_ok:
        if ok_detail:
            return result("ok", ok_detail, allow_by)
        by = _policies(allow_by)
        return result("ok", f"Allowed by {by}." if by else "Allowed.", allow_by)
    conditional = by_status.get("conditional", [])
    missing = by_status.get("missing", [])
    cond_by = [d for o in conditional for d in o.decided_by]
    cond_text = ""
    if conditional:
        where = _policies(cond_by)
        subjects = _unique(_describe(o.request) for o in conditional)
        cond_text = (
            f"{_join(subjects)} {'depends' if len(subjects) == 1 else 'depend'} on "
            f"{_join(unknown_keys)}, which a real request carries but this check cannot know"
            f"{f' (see {where})' if where else ''}."
        )
    if not missing:
        return result("conditional", cond_text, cond_by, actions=[])
    gaps = _join(_unique(_describe(o.request) for o in missing))
    if not allowed and not conditional:
        return result("missing", f"No policy allows {gaps}.", [])
    text = f"Not allowed: {gaps}."
    if allowed:
        text += f" The rest is allowed by {_policies(allow_by)}." if allow_by else " The rest is allowed."
    if cond_text:
        text += " " + cond_text
    return result("partial", text, allow_by + cond_by)


def statement_result(
    stmt: RequiredStatement,
    status: str,
    detail: str,
    *,
    actions=(),
    services=(),
    keys=(),
    decided=(),
) -> StatementResult:
    """The result of ``stmt`` (its sid, why, legacy flag and the guide's statement) with a status."""
    return StatementResult(
        sid=stmt.sid,
        status=status,
        detail=detail,
        why=stmt.why,
        legacy=stmt.legacy,
        statement=stmt.statement,
        missing_actions=tuple(actions),
        missing_services=tuple(services),
        unknown_keys=tuple(keys),
        decided_by=tuple(_unique(decided)),
    )


def uniform(stmt: RequiredStatement, status: str, detail: str) -> StatementResult:
    """A statement decided as a whole, without evaluating requests (root, an unreadable session)."""
    return statement_result(stmt, status, detail, actions=() if status == "ok" else stmt.actions)


def boundary_denied(request: CheckRequest, name: str) -> Outcome:
    """A request the permissions boundary ``name`` (empty when unknown) does not allow."""
    return Outcome(
        request,
        "denied",
        (DecidedBy(name or "permissions boundary", "boundary", None, "Deny"),),
        reason=f"The permissions boundary {f'{name} ' if name else ''}does not allow {request.action}.",
    )


def as_list(value):
    """A policy element that is a value or a list of values, as a list (None: empty)."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
