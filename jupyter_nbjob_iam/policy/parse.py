"""Reading a policy document (dict or JSON text) into statements, with its problems in plain words.

Parsing never raises on user data. A document that cannot be read at all (bad JSON, not an
object, no ``Statement``) is an unreadable policy; otherwise each statement is read on its own and
carries its own problems. See ``decide`` for what problems mean for the decision.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .conditions import ConditionEntry, compile_conditions
from .match import ActionMatcher, ResourceMatcher
from .variables import VERSION_WITH_VARIABLES, parse_template

VERSIONS = ("2012-10-17", "2008-10-17")
_DOCUMENT_ELEMENTS = {"Version", "Id", "Statement"}
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
    return ResourceMatcher(templates, negate=element == "NotResource"), []


def _statement(index: int, raw: object, variables: bool) -> Statement:
    if not isinstance(raw, Mapping):
        return Statement(index, None, None, None, None, (), (f"statement {index} is not a JSON object",))
    sid = raw.get("Sid")
    problems: list[str] = []
    if sid is not None and not isinstance(sid, str):
        problems.append("'Sid' must be a string")
        sid = str(sid)
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
        if name not in _DOCUMENT_ELEMENTS:
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


@lru_cache(maxsize=512)
def _parse_text(text: str) -> Policy:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        return _unreadable(f"the policy is not valid JSON: {exc}")
    return parse_document(doc)


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
