"""Matchers for the Action/NotAction and Resource/NotResource elements.

Actions compare case-insensitively; in an action ``*`` matches any run of characters and ``?`` one
character. Resources compare case-sensitively, ARN part by ARN part (see ``wildcard.resource_test``).
Resource values may hold policy variables; when one cannot be substituted the element does not
match (for NotResource too).
"""

from __future__ import annotations

from .context import Context
from .variables import Template, resolve
from .wildcard import Segment, Test, any_test, has_wildcard, plain


def _service_prefixes(patterns: list[str]) -> frozenset[str] | None:
    prefixes = set()
    for pattern in patterns:
        prefix, colon, _ = pattern.partition(":")
        if not colon or has_wildcard(prefix):
            return None
        prefixes.add(prefix)
    return frozenset(prefixes)


class ActionMatcher:
    __slots__ = ("patterns", "negate", "_test", "services")

    def __init__(self, patterns: tuple[str, ...], negate: bool) -> None:
        self.patterns = patterns
        self.negate = negate
        lowered = [pattern.lower() for pattern in patterns]
        self._test = any_test([plain(pattern) for pattern in lowered])
        # The service prefixes this element can match, for indexing; None means "any".
        self.services = None if negate else _service_prefixes(lowered)

    def matches(self, action: str) -> bool:
        """``action`` must already be lower-cased."""
        return self._test(action) != self.negate


class ResourceMatcher:
    __slots__ = ("patterns", "negate", "_constant", "_templates")

    def __init__(self, templates: tuple[Template, ...], negate: bool) -> None:
        self.patterns = tuple(template.raw for template in templates)
        self.negate = negate
        constant = [template.constant for template in templates if template.constant is not None]
        self._constant: Test | None = any_test(constant, resource=True) if constant else None
        self._templates = tuple(template for template in templates if template.constant is None)

    def matches(self, resource: str, ctx: Context) -> tuple[bool, tuple[str, ...]]:
        """``(matches, keys of variables that could not be substituted)``."""
        if not self._templates:
            return self._constant(resource) != self.negate, ()  # type: ignore[misc]
        substituted: list[tuple[Segment, ...]] = []
        missing: list[str] = []
        for template in self._templates:
            segments, unresolved = resolve(template, ctx.variable)
            if segments is None:
                missing.extend(unresolved)
            else:
                substituted.append(segments)
        if missing:
            return False, tuple(missing)
        hit = (self._constant is not None and self._constant(resource)) or any_test(substituted, resource=True)(
            resource
        )
        return hit != self.negate, ()
