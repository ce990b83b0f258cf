"""Policy variables in Resource and condition values (policy ``"Version": "2012-10-17"`` only).

``${aws:username}`` takes the request's value of that key (key names are case-insensitive);
``${aws:PrincipalTag/team, 'default'}`` falls back to the quoted text (``''`` is a quote) when the key
is absent; ``${*}``, ``${?}`` and ``${$}`` are the literal characters. A key runs up to the comma
or the closing brace and may hold spaces, as tag keys may (``${aws:PrincipalTag/cost center}``);
the spaces around it do not count. Substituted text is literal: it never acts as a wildcard. A key
that is absent (with no default) or multivalued cannot be substituted: the caller then treats the
statement as not matching.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .wildcard import Segment

VERSION_WITH_VARIABLES = "2012-10-17"
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
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
    first_variable_at: int | None = None  # where in ``raw`` the first variable (or ${*} ${?} ${$}) starts

    @property
    def variables(self) -> tuple[Variable, ...]:
        return tuple(part for part in self.parts if isinstance(part, Variable))

    def masked(self, placeholder: str = "x") -> tuple[Segment, ...]:
        """Segments with every variable replaced by a literal placeholder (for validating shapes)."""
        return tuple((placeholder, True) if isinstance(part, Variable) else part for part in self.parts)


def _key_and_default(inner: str) -> tuple[str, str | None] | None:
    """``key`` or ``key, 'default'`` (``''`` inside the quotes is one quote); None if neither."""
    key, comma, rest = inner.partition(",")
    key = key.strip()
    if not key or "'" in key:
        return None
    if not comma:
        return key, None
    rest = rest.strip()
    if len(rest) < 2 or rest[0] != "'" or rest[-1] != "'":
        return None
    quoted = rest[1:-1]
    if quoted.replace("''", "").count("'"):  # a lone quote inside: not one quoted text
        return None
    return key, quoted.replace("''", "'")


def parse_template(raw: str, enabled: bool) -> Template:
    if not enabled or "${" not in raw:
        return Template(raw, ((raw, False),), ((raw, False),))
    parts: list[Segment | Variable] = []
    pos = 0
    first_at: int | None = None
    for found in _VARIABLE.finditer(raw):
        if found.start() > pos:
            parts.append((raw[pos : found.start()], False))
        inner = found.group(1)
        stripped = inner.strip()
        key_default = None if stripped in _ESCAPES else _key_and_default(inner)
        if stripped in _ESCAPES:
            parts.append((_ESCAPES[stripped], True))
        elif key_default is not None:
            name, default = key_default
            parts.append(Variable(name, name.lower(), default))
        else:  # not a variable after all: keep the text as written
            parts.append((found.group(0), False))
        if first_at is None and (stripped in _ESCAPES or key_default is not None):
            first_at = found.start()
        pos = found.end()
    if pos < len(raw):
        parts.append((raw[pos:], False))
    segments = [part for part in parts if not isinstance(part, Variable)]
    constant = tuple(segments) if len(segments) == len(parts) else None
    return Template(raw, tuple(parts), constant, first_at)


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
