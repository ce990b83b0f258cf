"""Policy variables in Resource and condition values (policy ``"Version": "2012-10-17"`` only).

``${aws:username}`` takes the request's value of that key (key names are case-insensitive);
``${aws:PrincipalTag/team, 'default'}`` falls back to the quoted text (``''`` is a quote) when the key
is absent; ``${*}``, ``${?}`` and ``${$}`` are the literal characters. Substituted text is literal:
it never acts as a wildcard. A key that is absent (with no default) or multivalued cannot be
substituted: the caller then treats the statement as not matching.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .wildcard import Segment

VERSION_WITH_VARIABLES = "2012-10-17"
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_KEY_AND_DEFAULT = re.compile(r"\s*([^\s,']+)\s*(?:,\s*'((?:[^']|'')*)'\s*)?")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}

Lookup = Callable[[str], "str | None"]


@dataclass(frozen=True, slots=True)
class Variable:
    name: str  # as written in the policy
    key: str  # lower-cased, for the lookup
    default: str | None


@dataclass(frozen=True, slots=True)
class Template:
    raw: str
    parts: tuple[Segment | Variable, ...]
    constant: tuple[Segment, ...] | None  # the segments when there is no variable to substitute

    @property
    def variables(self) -> tuple[Variable, ...]:
        return tuple(part for part in self.parts if isinstance(part, Variable))

    def masked(self, placeholder: str = "x") -> tuple[Segment, ...]:
        """Segments with every variable replaced by a literal placeholder (for validating shapes)."""
        return tuple((placeholder, True) if isinstance(part, Variable) else part for part in self.parts)


def parse_template(raw: str, enabled: bool) -> Template:
    if not enabled or "${" not in raw:
        return Template(raw, ((raw, False),), ((raw, False),))
    parts: list[Segment | Variable] = []
    pos = 0
    for found in _VARIABLE.finditer(raw):
        if found.start() > pos:
            parts.append((raw[pos : found.start()], False))
        inner = found.group(1)
        stripped = inner.strip()
        if stripped in _ESCAPES:
            parts.append((_ESCAPES[stripped], True))
        else:
            key_default = _KEY_AND_DEFAULT.fullmatch(inner)
            if key_default:
                name, default = key_default.group(1), key_default.group(2)
                default = default.replace("''", "'") if default is not None else None
                parts.append(Variable(name, name.lower(), default))
            else:  # not a variable after all: keep the text as written
                parts.append((found.group(0), False))
        pos = found.end()
    if pos < len(raw):
        parts.append((raw[pos:], False))
    has_variable = any(isinstance(part, Variable) for part in parts)
    return Template(raw, tuple(parts), None if has_variable else tuple(parts))  # type: ignore[arg-type]


def resolve(template: Template, lookup: Lookup) -> tuple[tuple[Segment, ...] | None, tuple[str, ...]]:
    """Substitute the variables: ``(segments, ())``, or ``(None, names of unresolvable keys)``."""
    segments: list[Segment] = []
    unresolved: list[str] = []
    for part in template.parts:
        if isinstance(part, Variable):
            value = lookup(part.key)
            if value is None:
                value = part.default
            if value is None:
                unresolved.append(part.name)
            else:
                segments.append((value, True))
        else:
            segments.append(part)
    if unresolved:
        return None, tuple(unresolved)
    return tuple(segments), ()


def joined(segments: tuple[Segment, ...]) -> str:
    return "".join(text for text, _ in segments)
