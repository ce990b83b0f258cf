"""The local engine: the project's evaluator over the policies read from IAM.

A request's decision must never be a guess about context the check cannot know
(``CheckRequest.unknown_keys``, e.g. ``aws:SourceIp``). So the statements of the principal's policies
are split, per request, into

- *firm* statements, which reference no unknown key: they decide as the evaluator says;
- *uncertain* statements, whose Condition (or a policy variable) references an unknown key: each is
  asked only whether it *could* apply, with its unknown-key conditions taken as possibly true.

A firm explicit deny is ``denied``; an uncertain Deny that could apply makes the request
``conditional``; a firm allow (through the boundary, when there is one) is ``ok``; an allow that only
an uncertain statement could give is ``conditional``; a boundary that cannot allow it is ``denied``;
anything else is ``missing``. Policies the evaluator finds malformed are never split (so their Allow
statements keep counting for nothing) and are reported in the notes. When some of the principal's
policies could not be read at all (``PrincipalPolicies.refused``), only a firm deny is still certain:
every other answer is ``unknown``, naming the refused calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..aws import PolicyDoc, PrincipalPolicies
from ..catalog import CheckRequest
from ..policy import (
    REASON_BOUNDARY,
    REASON_UNREADABLE,
    MatchedStatement,
    Policy,
    Request,
    evaluate,
    parse_policy,
)
from .report import DecidedBy
from .statements import Outcome, as_list, boundary_denied, deny_reason

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_SPECIAL_VARIABLES = frozenset({"*", "?", "$"})


def _variables(value: Any) -> list[str]:
    out = []
    for text in as_list(value):
        if isinstance(text, str):
            for match in _VARIABLE.finditer(text):
                name = match.group(1).split(",", 1)[0].strip()
                if name and name not in _SPECIAL_VARIABLES:
                    out.append(name)
    return out


def statement_keys(statement: Any) -> tuple[str, ...]:
    """Every context key a statement reads: its condition keys and the policy variables in its
    Resource/NotResource and condition values."""
    if not isinstance(statement, dict):
        return ()
    keys: list[str] = []
    condition = statement.get("Condition")
    if isinstance(condition, dict):
        for block in condition.values():
            if isinstance(block, dict):
                for key, values in block.items():
                    keys.append(key)
                    keys.extend(_variables(values))
    for element in ("Resource", "NotResource"):
        keys.extend(_variables(statement.get(element)))
    return tuple(keys)


def _statements_of(document: Any) -> list[Any] | None:
    if not isinstance(document, dict):
        return None
    raw = document.get("Statement")
    if isinstance(raw, dict):
        return [raw]
    return raw if isinstance(raw, list) else None


def _relaxed(statement: dict[str, Any], request: CheckRequest) -> dict[str, Any]:
    """The statement as an Allow whose parts on unknown keys are taken as possibly true: does it
    apply whatever those keys hold?"""
    out = dict(statement)
    out["Effect"] = "Allow"
    condition = statement.get("Condition")
    if isinstance(condition, dict):
        kept = {}
        for operator, block in condition.items():
            if not isinstance(block, dict):
                kept[operator] = block
                continue
            entries = {
                key: values
                for key, values in block.items()
                if not request.is_unknown(key) and not any(request.is_unknown(v) for v in _variables(values))
            }
            if entries:
                kept[operator] = entries
        if kept:
            out["Condition"] = kept
        else:
            out.pop("Condition", None)
    for element in ("Resource", "NotResource"):
        if any(request.is_unknown(v) for v in _variables(statement.get(element))):
            out.pop(element, None)
            out["Resource"] = "*"
    return out


@dataclass(frozen=True)
class _Source:
    """One policy document of the principal, parsed once, with its statements' context keys."""

    doc: PolicyDoc
    policy: Policy
    statements: list[Any] | None
    keys: tuple[tuple[str, ...], ...]
    boundary: bool

    @property
    def splittable(self) -> bool:
        return self.policy.ok and self.statements is not None

    def statement(self, j: int) -> Any:
        """Statement ``j`` of a source whose statements were read (only those have uncertain ones)."""
        assert self.statements is not None
        return self.statements[j]


def _source(doc: PolicyDoc, boundary: bool) -> _Source:
    statements = _statements_of(doc.document)
    keys = tuple(statement_keys(s) for s in statements) if statements is not None else ()
    return _Source(doc, parse_policy(doc.document), statements, keys, boundary)


class LocalEngine:
    """Decides the requests of one principal from its policies (see the module docstring)."""

    def __init__(self, policies: PrincipalPolicies) -> None:
        self.principal = policies
        self.sources = [_source(d, False) for d in policies.policies]
        self.boundary = _source(policies.boundary, True) if policies.boundary is not None else None
        self._filtered: dict[tuple[int, bool, frozenset[int]], Policy] = {}

    # -- what the report says about the policies themselves ------------------------------------
    def notes(self) -> list[str]:
        who = self.principal.principal_arn or self.principal.principal_name
        out = []
        for src in [*self.sources, *([self.boundary] if self.boundary else [])]:
            if src.policy.problems:
                problems = "; ".join(src.policy.problems[:3])
                more = f" (and {len(src.policy.problems) - 3} more)" if len(src.policy.problems) > 3 else ""
                out.append(
                    f"The policy {src.doc.name} ({src.doc.source}) of {who} could not be fully read by this "
                    f"checker: {problems}{more}. Nothing it allows is counted, and where it might deny, the "
                    "result is unknown."
                )
        return out

    def refused_reason(self) -> str:
        calls = []
        for call in self.principal.refused:
            target = f" ({call.target})" if call.target and call.target != self.principal.principal_name else ""
            calls.append(f"{call.action}{target}")
        who = self.principal.principal_arn or self.principal.principal_name
        return (
            f"Not all policies of {who} could be read: AWS refused {', '.join(calls)}. A policy that "
            "could not be read may allow or deny this, so it cannot be decided."
        )

    # -- one request ---------------------------------------------------------------------------
    def _decided_by(self, matched: MatchedStatement) -> DecidedBy:
        src = self._source_of(matched)
        return DecidedBy(src.doc.name, src.doc.source, matched.sid, matched.effect)

    def _source_of(self, matched: MatchedStatement) -> _Source:
        return self.boundary if matched.boundary and self.boundary else self.sources[matched.policy_index]

    def _firm(self, index: int, src: _Source, removed: frozenset[int]) -> Policy:
        if not removed:
            return src.policy
        key = (index, src.boundary, removed)
        policy = self._filtered.get(key)
        if policy is None:
            document = dict(src.doc.document)
            document["Statement"] = [s for j, s in enumerate(src.statements or []) if j not in removed]
            policy = parse_policy(document)
            self._filtered[key] = policy
        return policy

    def _uncertain(self, src: _Source, request: CheckRequest) -> dict[int, tuple[str, ...]]:
        """The statements of ``src`` that read an unknown key of ``request`` (index -> those keys)."""
        if not src.splittable:
            return {}
        out = {}
        for j, keys in enumerate(src.keys):
            unknown = tuple(k for k in keys if request.is_unknown(k))
            if unknown:
                out[j] = unknown
        return out

    def _could_apply(self, src: _Source, j: int, request: CheckRequest, req: Request) -> bool:
        statement = src.statement(j)
        version = src.doc.document.get("Version", "2008-10-17")
        result = evaluate(req, [{"Version": version, "Statement": [_relaxed(statement, request)]}])
        return result.allowed or any(request.is_unknown(k) for k in result.missing_context)

    def _keys_of(self, matched: MatchedStatement) -> tuple[str, ...]:
        """The context keys a matched statement of an unsplit source reads (split sources hold only
        firm statements, and their statement indexes are of the filtered document)."""
        src = self._source_of(matched)
        if src.splittable or matched.statement_index >= len(src.keys):
            return ()
        return src.keys[matched.statement_index]

    def _reads_unknown(self, matched: MatchedStatement, request: CheckRequest) -> bool:
        return any(request.is_unknown(k) for k in self._keys_of(matched))

    def decide(self, request: CheckRequest) -> Outcome:
        req = Request(
            action=request.action,
            resource=request.resource,
            principal=request.context.get("aws:PrincipalArn"),  # type: ignore[arg-type]
            context=request.context,
        )
        uncertain = [(src, self._uncertain(src, request)) for src in self.sources]
        b_uncertain = self._uncertain(self.boundary, request) if self.boundary else {}
        firm = [self._firm(i, src, frozenset(u)) for i, (src, u) in enumerate(uncertain)]
        firm_boundary = self._firm(0, self.boundary, frozenset(b_uncertain)) if self.boundary else None
        result = evaluate(req, firm, firm_boundary)

        # Uncertain statements that could apply, as (source, statement index, unknown keys).
        maybe = [
            (src, j, keys)
            for src, found in [*uncertain, *([(self.boundary, b_uncertain)] if self.boundary else [])]
            for j, keys in found.items()
            if self._could_apply(src, j, request, req)
        ]

        def conditional(entries, extra_keys=()) -> Outcome:
            keys = list(dict.fromkeys([k for _, _, ks in entries for k in ks] + list(extra_keys)))
            decided = tuple(
                DecidedBy(src.doc.name, src.doc.source, src.statement(j).get("Sid"), src.statement(j).get("Effect"))
                for src, j, _ in entries
            )
            return Outcome(request, "conditional", decided, tuple(keys))

        unknown_missing = tuple(k for k in result.missing_context if request.is_unknown(k))
        if result.decision == "explicitDeny":
            denies = [m for m in result.matched if m.effect == "Deny"]
            hard = [m for m in denies if not self._reads_unknown(m, request)]
            if hard:
                decided = tuple(self._decided_by(m) for m in hard)
                return Outcome(request, "denied", decided, reason=deny_reason(request.action, decided))
            # Only denies of unsplit (malformed) policies that read an unknown key matched.
            keys = [k for m in denies for k in self._keys_of(m) if request.is_unknown(k)]
            return conditional([], unknown_missing + tuple(keys))
        if self.principal.refused:
            return Outcome(request, "unknown", reason=self.refused_reason())
        # An uncertain Deny matters only where the request could otherwise be allowed.
        maybe_denies = [(s, j, k) for s, j, k in maybe if s.statement(j).get("Effect") != "Allow"]
        if result.allowed:
            if maybe_denies or unknown_missing:
                return conditional(maybe_denies, unknown_missing)
            return Outcome(request, "ok", tuple(self._decided_by(m) for m in result.matched))
        if result.reason == REASON_UNREADABLE:
            names = ", ".join(s.doc.name for s in [*self.sources, self.boundary] if s is not None and s.policy.problems)
            return Outcome(
                request,
                "unknown",
                reason=f"The policy {names} could not be fully read by this checker and might deny {request.action}.",
            )
        maybe_allows = [(s, j, k) for s, j, k in maybe if s.statement(j).get("Effect") == "Allow"]
        identity_maybe = [e for e in maybe_allows if not e[0].boundary]
        boundary_maybe = [e for e in maybe_allows if e[0].boundary]
        identity_possible = result.reason == REASON_BOUNDARY or bool(identity_maybe) or bool(unknown_missing)
        boundary_possible = self.boundary is None or bool(boundary_maybe) or evaluate(req, [firm_boundary]).allowed
        if identity_possible and boundary_possible:
            return conditional(identity_maybe + boundary_maybe + maybe_denies, unknown_missing)
        if not boundary_possible and self.boundary is not None:
            return boundary_denied(request, self.boundary.doc.name or self.principal.boundary_arn or "")
        return Outcome(request, "missing")
