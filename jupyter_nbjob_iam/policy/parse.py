"""Reading a policy document (dict or JSON text) into statements, with its problems in plain words.

Parsing never raises on user data. A document that cannot be read at all (bad JSON, not an
object, no ``Statement``) is an unreadable policy; otherwise each statement is read on its own and
carries its own problems. See ``decide`` for what problems mean for the decision.

Rules of the IAM grammar checked here (docs/EVALUATION.md cites the pages): a ``Sid`` holds only
ASCII letters and digits and is unique in its policy; ``Id`` belongs to resource-based policies,
not to identity policies or permissions boundaries; a policy variable in ``Resource`` may stand
only after the ARN's fifth colon. JSON text that repeats a key in one object is ambiguous (which
copy counts is not documented): such a policy allows nothing, and the statements that read
differently under "first copy wins" and "last copy wins" are both kept as possible denies.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from .conditions import ConditionEntry, compile_conditions
from .match import ActionMatcher, ResourceMatcher
from .variables import VERSION_WITH_VARIABLES, parse_template

VERSIONS = ("2012-10-17", "2008-10-17")
_DOCUMENT_ELEMENTS = {"Version", "Statement"}
RESOURCE_COLONS = 5  # a variable may stand only in the resource part, after the fifth colon
_STATEMENT_ELEMENTS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"}


@dataclass(frozen=True, eq=False)
class Statement:
    index: int
    sid: str | None
    effect: str | None  # "Allow" | "Deny"; None when it could not be read
    action: ActionMatcher | None
    resource: ResourceMatcher | None
    conditions: tuple[ConditionEntry, ...]
    problems: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"statement {self.index} ('{self.sid}')" if self.sid else f"statement {self.index}"


class Policy:
    """A parsed policy: reusable across requests (parse once, evaluate many)."""

    __slots__ = ("statements", "problems", "readable", "version", "_by_service")

    def __init__(self, statements: tuple[Statement, ...], problems: tuple[str, ...], readable: bool, version: str):
        self.statements = statements
        self.problems = problems  # every problem, document and statements, in plain words
        self.readable = readable
        self.version = version
        self._by_service: dict[str, tuple[Statement, ...]] = {}

    @property
    def ok(self) -> bool:
        return not self.problems

    def candidates(self, service: str) -> tuple[Statement, ...]:
        """The statements whose Action could match an action of this (lower-cased) service prefix."""
        found = self._by_service.get(service)
        if found is None:
            found = tuple(
                s
                for s in self.statements
                if s.action is None or s.action.services is None or service in s.action.services
            )
            self._by_service[service] = found
        return found

    def __repr__(self) -> str:
        return f"Policy({len(self.statements)} statements, {len(self.problems)} problems)"


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "a list" if isinstance(value, (list, tuple)) else f"a {type(value).__name__}"


def _unreadable(problem: str) -> Policy:
    return Policy((), (problem,), readable=False, version=VERSIONS[1])


def _strings(raw: object, element: str) -> tuple[tuple[str, ...], list[str]]:
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list) or not values:
        return (), [f"'{element}' must be a string or a non-empty list of strings"]
    if not all(isinstance(value, str) for value in values):
        return (), [f"'{element}' must contain only strings"]
    return tuple(values), []


def _action(raw: Mapping[str, Any]) -> tuple[ActionMatcher | None, list[str]]:
    present = [name for name in ("Action", "NotAction") if name in raw]
    if len(present) != 1:
        return None, ["has both 'Action' and 'NotAction'" if present else "has neither 'Action' nor 'NotAction'"]
    element = present[0]
    patterns, problems = _strings(raw[element], element)
    for pattern in patterns:
        service, colon, name = pattern.partition(":")
        if pattern != "*" and not (colon and service and name):
            problems.append(f"{element} '{pattern}' is not of the form 'service:action' or '*'")
    return (None if problems else ActionMatcher(patterns, negate=element == "NotAction")), problems


def _resource(raw: Mapping[str, Any], variables: bool) -> tuple[ResourceMatcher | None, list[str]]:
    present = [name for name in ("Resource", "NotResource") if name in raw]
    if len(present) != 1:
        if present:
            return None, ["has both 'Resource' and 'NotResource'"]
        return None, ["has neither 'Resource' nor 'NotResource' (an identity policy statement needs one)"]
    element = present[0]
    patterns, problems = _strings(raw[element], element)
    for pattern in patterns:
        if pattern != "*" and not pattern.startswith("arn:"):
            problems.append(f"{element} '{pattern}' is not an ARN or '*'")
    if problems:
        return None, problems
    templates = tuple(parse_template(pattern, variables) for pattern in patterns)
    for template in templates:
        at = template.first_variable_at
        if at is not None and template.raw.count(":", 0, at) < RESOURCE_COLONS:
            problems.append(
                f"{element} '{template.raw}' has a policy variable before the ARN's fifth colon "
                "(a variable may stand only in the resource part)"
            )
    if problems:
        return None, problems
    return ResourceMatcher(templates, negate=element == "NotResource"), []


def _statement(index: int, raw: object, variables: bool) -> Statement:
    if not isinstance(raw, Mapping):
        return Statement(index, None, None, None, None, (), (f"statement {index} is not a JSON object",))
    sid = raw.get("Sid")
    problems: list[str] = []
    if sid is not None and not isinstance(sid, str):
        problems.append("'Sid' must be a string")
        sid = str(sid)
    elif sid and not (sid.isascii() and sid.isalnum()):
        problems.append(f"the Sid '{sid}' may hold only ASCII letters and digits (A-Z, a-z, 0-9) in an IAM policy")
    for name in raw:
        if name in ("Principal", "NotPrincipal"):
            problems.append(f"has '{name}', which an identity policy or permissions boundary cannot have")
        elif name not in _STATEMENT_ELEMENTS:
            problems.append(f"has an unknown element '{name}'")
    effect = raw.get("Effect")
    if effect not in ("Allow", "Deny"):
        problems.append(f'\'Effect\' must be "Allow" or "Deny", not {json.dumps(effect)}')
        effect = None
    action, action_problems = _action(raw)
    resource, resource_problems = _resource(raw, variables)
    conditions, condition_problems = compile_conditions(raw.get("Condition", {}), variables)
    problems += action_problems + resource_problems + condition_problems
    label = f"statement {index} ('{sid}')" if sid else f"statement {index}"
    return Statement(index, sid, effect, action, resource, conditions, tuple(f"{label}: {p}" for p in problems))


def parse_document(doc: object) -> Policy:
    if not isinstance(doc, Mapping):
        return _unreadable(f"a policy must be a JSON object, not {_json_type(doc)}")
    problems: list[str] = []
    version = doc.get("Version", VERSIONS[1])
    if version not in VERSIONS:
        problems.append(f'\'Version\' must be "2012-10-17" or "2008-10-17", not {json.dumps(version)}')
        version = VERSIONS[1]
    for name in doc:
        if name == "Id":
            problems.append("the policy has an 'Id', which resource-based policies may have, identity policies not")
        elif name not in _DOCUMENT_ELEMENTS:
            problems.append(f"the policy has an unknown element '{name}'")
    if "Statement" not in doc:
        return _unreadable("the policy has no 'Statement'")
    raw_statements = doc["Statement"]
    if isinstance(raw_statements, Mapping):
        raw_statements = [raw_statements]
    if not isinstance(raw_statements, list):
        return _unreadable("'Statement' must be an object or a list of objects")
    variables = version == VERSION_WITH_VARIABLES
    statements = tuple(_statement(index, raw, variables) for index, raw in enumerate(raw_statements))
    sid_counts = Counter(s.sid for s in statements if s.sid)
    for sid in sorted(sid for sid, count in sid_counts.items() if count > 1):
        problems.append(f"the Sid '{sid}' is used by more than one statement (Sids must be unique)")
    for statement in statements:
        problems.extend(statement.problems)
    return Policy(statements, tuple(problems), readable=True, version=version)


def _object_hook(repeated: list[str], first_wins: bool) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                repeated.append(key)
                if first_wins:
                    continue
            out[key] = value
        return out

    return build


def _raw_statements(doc: object) -> list[object] | None:
    raw = doc.get("Statement") if isinstance(doc, Mapping) else None
    if isinstance(raw, Mapping):
        return [raw]
    return raw if isinstance(raw, list) else None


def _ambiguous(last: Policy, first: Policy, last_doc: object, first_doc: object, keys: list[str]) -> Policy:
    """One policy from the two readings of JSON text with repeated keys (see the module docstring)."""
    names = ", ".join(f"'{key}'" for key in sorted(set(keys)))
    problem = f"the policy repeats the key {names} in one JSON object, and AWS may read either copy"
    tag = f"it reads differently depending on which copy of {names} counts"
    raw_last, raw_first = _raw_statements(last_doc), _raw_statements(first_doc)
    same_shape = (
        raw_last is not None
        and raw_first is not None
        and len(raw_last) == len(raw_first) == len(last.statements) == len(first.statements)
        and last.version == first.version
    )
    statements: list[Statement] = []
    for index, statement in enumerate(last.statements):
        if same_shape and raw_last[index] == raw_first[index]:  # type: ignore[index]
            statements.append(statement)
            continue
        statements.append(replace(statement, problems=(*statement.problems, tag)))
        if index < len(first.statements):
            other = first.statements[index]
            statements.append(replace(other, problems=(*other.problems, tag)))
    if not same_shape:
        statements += [replace(s, problems=(*s.problems, tag)) for s in first.statements[len(last.statements) :]]
    problems = (problem, *last.problems, *(p for p in first.problems if p not in last.problems))
    return Policy(tuple(statements), problems, readable=last.readable and first.readable, version=last.version)


@lru_cache(maxsize=512)
def _parse_text(text: str) -> Policy:
    repeated: list[str] = []
    try:
        doc = json.loads(text, object_pairs_hook=_object_hook(repeated, first_wins=False))
    except ValueError as exc:
        return _unreadable(f"the policy is not valid JSON: {exc}")
    if not repeated:
        return parse_document(doc)
    first_doc = json.loads(text, object_pairs_hook=_object_hook([], first_wins=True))
    return _ambiguous(parse_document(doc), parse_document(first_doc), doc, first_doc, repeated)


def parse_policy(doc: object) -> Policy:
    """A ``Policy`` from a dict, JSON text (parsed once and cached) or an already parsed ``Policy``."""
    if isinstance(doc, Policy):
        return doc
    if isinstance(doc, bytes):
        try:
            doc = doc.decode("utf-8")
        except UnicodeDecodeError:
            return _unreadable("the policy is not UTF-8 text")
    if isinstance(doc, str):
        return _parse_text(doc)
    return parse_document(doc)
