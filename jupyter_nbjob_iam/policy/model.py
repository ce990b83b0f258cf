"""The evaluator's public values: the request asked about and the answer with its reasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Decision = Literal["allowed", "implicitDeny", "explicitDeny"]
ContextValue = str | Sequence[str]

ALLOWED: Decision = "allowed"
IMPLICIT_DENY: Decision = "implicitDeny"
EXPLICIT_DENY: Decision = "explicitDeny"

# Why the decision came out as it did (a stable code for callers; the words are in ``explain()``).
REASON_ALLOWED = "allowed"
REASON_EXPLICIT_DENY = "explicit_deny"
REASON_NO_ALLOW = "no_allow"
REASON_BOUNDARY = "boundary"  # the identity policies allow it, the permissions boundary does not
REASON_UNREADABLE = "unreadable_policy"  # would be allowed, but a policy we could not read might deny it


@dataclass(frozen=True)
class Request:
    """One concrete request: who (optional) does what on which resource, in which context.

    ``context`` maps condition keys to a ``str`` (a single-valued key) or a list of ``str`` (a
    multivalued key such as ``aws:TagKeys``). Key names are case-insensitive.
    """

    action: str
    resource: str = "*"
    principal: str | None = None
    context: Mapping[str, ContextValue] = field(default_factory=dict)


@dataclass(frozen=True)
class MatchedStatement:
    """A statement that applied to the request.

    ``policy_index`` is the position in ``policies``; for the permissions boundary it is 0 and
    ``boundary`` is true. ``statement_index`` is the position in the policy's ``Statement`` list.
    """

    policy_index: int
    statement_index: int
    sid: str | None
    effect: Literal["Allow", "Deny"]
    boundary: bool = False

    def label(self) -> str:
        where = "the permissions boundary" if self.boundary else f"policy {self.policy_index}"
        name = f"'{self.sid}'" if self.sid else f"#{self.statement_index}"
        return f"{where}, statement {name}"


@dataclass(frozen=True)
class PolicyError:
    """A problem found in a policy (or in the request); ``message`` says it in plain words."""

    message: str
    policy_index: int | None = None
    boundary: bool = False

    def __str__(self) -> str:
        if self.boundary:
            return f"permissions boundary: {self.message}"
        if self.policy_index is None:
            return self.message
        return f"policy {self.policy_index}: {self.message}"


@dataclass(frozen=True)
class Result:
    """The answer for one request.

    - ``decision``: ``"allowed"``, ``"implicitDeny"`` or ``"explicitDeny"``.
    - ``matched``: the statements that decided it: the matching Deny statements for an explicit
      deny; the matching Allow statements otherwise (for ``reason == "boundary"``, the identity
      statements that the permissions boundary overruled). Empty when nothing applied.
    - ``missing_context``: condition keys (as written in the policy) that a statement whose Action
      and Resource matched needed but the request did not carry; non-empty means "conditional".
    - ``errors``: problems in policies that could not be fully read. An Allow from a policy with
      problems never counts; an unreadable part that might deny prevents "allowed".
    - ``reason``: one of the ``REASON_*`` codes of this module.
    """

    decision: Decision
    matched: tuple[MatchedStatement, ...] = ()
    missing_context: tuple[str, ...] = ()
    errors: tuple[PolicyError, ...] = ()
    reason: str = REASON_NO_ALLOW
    request: Request | None = field(default=None, compare=False, repr=False)

    @property
    def allowed(self) -> bool:
        return self.decision == ALLOWED

    @property
    def explanation(self) -> str:
        return self.explain()

    def explain(self) -> str:
        from .explain import explain

        return explain(self)
