"""The Condition element: read once into entries, then decided against a request context.

All entries must hold (AND across operators and keys); within one entry the operator decides how
the values combine (see ``operators``). Key names are case-insensitive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .context import Context
from .operators import CompiledOperator, PolicyValueError, Predicate, compile_operator
from .variables import Template, parse_template, resolve
from .wildcard import any_test


@dataclass(frozen=True)
class ConditionEntry:
    operator: CompiledOperator
    key: str  # as written in the policy
    key_lower: str
    predicates: tuple[Predicate, ...] | None  # None: the values hold variables, prepared per request
    templates: tuple[Template, ...]

    def predicates_for(self, ctx: Context) -> tuple[tuple[Predicate, ...] | None, tuple[str, ...]]:
        """The predicates for this request, or ``(None, keys)`` when a variable cannot be substituted.

        A substituted value the operator cannot read (``${aws:username}`` alone under ``ArnLike``)
        counts as a variable that could not be substituted: the statement does not apply, and the
        keys are reported, so an Allow never counts on it and a Deny leaves the answer open.
        """
        if self.predicates is not None:
            return self.predicates, ()
        predicates: list[Predicate] = []
        for template in self.templates:
            segments, unresolved = resolve(template, ctx.variable)
            if segments is None:
                return None, unresolved
            try:
                predicates.append(self.operator.base.prepare(segments))
            except PolicyValueError:
                return None, tuple(variable.name for variable in template.variables)
        return tuple(predicates), ()


def _value_text(value: object) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _entry(op: CompiledOperator, key: str, raw: object, variables: bool) -> tuple[ConditionEntry | None, list[str]]:
    where = f"condition {op.name} on '{key}'"
    raw_values = raw if isinstance(raw, list) else [raw]
    if not raw_values:
        return None, [f"{where} has no values"]
    problems: list[str] = []
    templates: list[Template] = []
    predicates: list[Predicate] = []
    for raw_value in raw_values:
        text = _value_text(raw_value)
        if text is None:
            problems.append(f"{where} has a value that is not a string, number or boolean: {raw_value!r}")
            continue
        template = parse_template(text, variables and op.base.variables)
        templates.append(template)
        constant = template.constant
        try:
            if constant is not None:
                predicates.append(op.base.prepare(constant))
            else:
                op.base.prepare(template.masked(op.base.placeholder))  # check the shape now; prepare per request
        except PolicyValueError as exc:
            problems.append(f"{where}: {exc}")
    if problems:
        return None, problems
    ready = tuple(predicates) if len(predicates) == len(templates) else None
    if ready is not None and len(ready) > 1 and op.base.glob:
        # Many StringLike values: one test for all (a set for exact values, one startswith for
        # "prefix*" values), the same "any value matches" the separate predicates give.
        ready = (any_test([template.constant for template in templates if template.constant is not None]),)
    return ConditionEntry(op, key, key.lower(), ready, tuple(templates)), []


def compile_conditions(raw: object, variables: bool) -> tuple[tuple[ConditionEntry, ...], list[str]]:
    """Read a Condition element: ``(entries, problems)``; any problem means the statement is unusable."""
    if not isinstance(raw, Mapping):
        return (), ["'Condition' must be an object mapping condition operators to {key: value(s)}"]
    entries: list[ConditionEntry] = []
    problems: list[str] = []
    for name, block in raw.items():
        try:
            op = compile_operator(str(name))
        except PolicyValueError as exc:
            problems.append(str(exc))
            continue
        if not isinstance(block, Mapping) or not block:
            problems.append(f"condition operator '{name}' must map condition keys to values")
            continue
        for key, values in block.items():
            entry, entry_problems = _entry(op, str(key), values, variables)
            problems.extend(entry_problems)
            if entry is not None:
                entries.append(entry)
    return tuple(entries), problems


def evaluate_conditions(entries: tuple[ConditionEntry, ...], ctx: Context) -> tuple[bool, tuple[str, ...]]:
    """``(holds, missing keys)``.

    Missing keys are the keys the request lacks that decided or could change the outcome (not
    those under ``...IfExists``), plus variables that could not be substituted. When a condition on
    a key the request does carry already fails, the statement cannot apply whatever the missing
    keys hold, so none are reported.
    """
    holds = True
    missing: list[str] = []
    for entry in entries:
        values = ctx.get(entry.key_lower)
        if not values:
            # Absent, or present with no values: the wrappers decide without the policy values
            # (Null, which does look at them, takes no variables, so its predicates are ready).
            decided = entry.operator.run(values, entry.predicates or ())
            if values is not None and not decided:
                return False, ()
            if values is None and not entry.operator.if_exists:
                missing.append(entry.key)
            holds = holds and decided
            continue
        predicates_now, unresolved = entry.predicates_for(ctx)
        if predicates_now is None:
            missing.extend(unresolved)
            holds = False
            continue
        if not entry.operator.run(values, predicates_now):
            return False, ()
    return holds, tuple(missing)
