"""The decision: explicit deny > allow (identity policies, gated by the permissions boundary) > implicit deny.

Malformed policies, decided conservatively (a wrong "allowed" is the worst answer we can give):

- an Allow statement counts only if its whole policy was read without any problem (AWS would
  have refused the whole document, so it grants nothing);
- a well-formed Deny statement counts even in a policy with problems elsewhere;
- a part that might deny but could not be read (an unreadable document, or a malformed statement
  whose Effect is not "Allow" and whose Action/Resource do not rule the request out) prevents
  "allowed": the answer is then an implicit deny with reason ``unreadable_policy``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .conditions import evaluate_conditions
from .context import Context
from .model import (
    ALLOWED,
    EXPLICIT_DENY,
    IMPLICIT_DENY,
    REASON_ALLOWED,
    REASON_BOUNDARY,
    REASON_EXPLICIT_DENY,
    REASON_NO_ALLOW,
    REASON_UNREADABLE,
    Decision,
    MatchedStatement,
    PolicyError,
    Request,
    Result,
)
from .parse import Policy, Statement, parse_policy


class Source(NamedTuple):
    policy: Policy
    position: int  # in ``policies`` (0 for the boundary)
    boundary: bool = False


def sources_of(policies: object, boundary: object | None) -> list[Source]:
    documents: Iterable[object]
    if policies is None:
        documents = []
    elif isinstance(policies, (Mapping, str, bytes, Policy)):
        documents = [policies]  # one document passed where a list was expected
    else:
        documents = policies  # type: ignore[assignment]  # not iterable: the caller turns the TypeError into an answer
    sources = [Source(parse_policy(doc), index) for index, doc in enumerate(documents)]
    if boundary is not None:
        sources.append(Source(parse_policy(boundary), 0, True))
    return sources


def _applies(statement: Statement, action: str, resource: str, ctx: Context) -> tuple[bool, tuple[str, ...]]:
    """Whether a well-formed statement applies, and the context keys it needed but did not get."""
    if not statement.action.matches(action):  # type: ignore[union-attr]
        return False, ()
    matches, unresolved = statement.resource.matches(resource, ctx)  # type: ignore[union-attr]
    if unresolved:
        return False, unresolved
    if not matches:
        return False, ()
    return evaluate_conditions(statement.conditions, ctx)


def _might_deny(statement: Statement, action: str, resource: str, ctx: Context) -> bool:
    """For a malformed statement: could it be a Deny that applies? Only a readable mismatch says no."""
    if statement.effect == "Allow":
        return False
    if statement.action is not None and not statement.action.matches(action):
        return False
    if statement.resource is not None:
        matches, unresolved = statement.resource.matches(resource, ctx)
        if not matches and not unresolved:
            return False
    return True


def _unique(keys: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for key in keys:
        seen.setdefault(key.lower(), key)
    return tuple(seen.values())


@dataclass
class Findings:
    """What the statements said about one request, before the decision."""

    denies: list[MatchedStatement] = field(default_factory=list)
    allows: list[MatchedStatement] = field(default_factory=list)
    boundary_allows: list[MatchedStatement] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    uncertain: bool = False  # something that might deny could not be read


def collect(sources: Sequence[Source], action: str, resource: str, ctx: Context) -> Findings:
    found = Findings(uncertain=bool(ctx.problems))
    for policy, index, boundary in sources:
        if not policy.readable:
            found.uncertain = True
            continue
        for statement in policy.candidates(action.partition(":")[0]):
            if statement.problems:
                found.uncertain = found.uncertain or _might_deny(statement, action, resource, ctx)
                continue
            applies, needed = _applies(statement, action, resource, ctx)
            found.missing.extend(needed)
            if not applies:
                continue
            matched = MatchedStatement(index, statement.index, statement.sid, statement.effect, boundary)  # type: ignore[arg-type]
            if statement.effect == "Deny":
                found.denies.append(matched)
            elif policy.ok:
                (found.boundary_allows if boundary else found.allows).append(matched)
    return found


def verdict(found: Findings, has_boundary: bool) -> tuple[Decision, list[MatchedStatement], str]:
    """Explicit deny > allow (the boundary, when there is one, must allow too) > implicit deny."""
    would_allow = bool(found.allows) and (bool(found.boundary_allows) or not has_boundary)
    if found.denies:
        return EXPLICIT_DENY, found.denies, REASON_EXPLICIT_DENY
    if would_allow and found.uncertain:
        return IMPLICIT_DENY, found.allows + found.boundary_allows, REASON_UNREADABLE
    if would_allow:
        return ALLOWED, found.allows + found.boundary_allows, REASON_ALLOWED
    if found.allows:
        return IMPLICIT_DENY, found.allows, REASON_BOUNDARY
    return IMPLICIT_DENY, [], REASON_NO_ALLOW


def decide(request: Request, sources: Sequence[Source]) -> Result:
    errors = [PolicyError(problem, s.position, s.boundary) for s in sources for problem in s.policy.problems]
    if not isinstance(request, Request) or not isinstance(request.action, str) or not isinstance(request.resource, str):
        errors.insert(0, PolicyError("the request must be a Request whose action and resource are strings"))
        return Result(
            IMPLICIT_DENY,
            errors=tuple(errors),
            reason=REASON_UNREADABLE,
            request=request if isinstance(request, Request) else None,
        )
    ctx = Context(request.context, request.principal)
    errors[:0] = [PolicyError(f"the request is malformed: {problem}") for problem in ctx.problems]
    found = collect(sources, request.action.lower(), request.resource, ctx)
    decision, matched, reason = verdict(found, any(source.boundary for source in sources))
    return Result(decision, tuple(matched), _unique(found.missing), tuple(errors), reason, request)
