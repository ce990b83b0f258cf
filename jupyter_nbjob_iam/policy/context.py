"""The request context with case-insensitive key lookup.

A ``str`` value is a single-valued key; a list (or tuple/set) of ``str`` is a multivalued key.
Booleans and numbers are taken as their IAM text (``true``, ``42``); ``None`` means "absent".

When the request names a principal, the keys a real request always carries for it are added
unless the context already has them: ``aws:PrincipalArn`` (IAM users, roles and root only: an
assumed-role session ARN is not the role's ARN), ``aws:PrincipalAccount`` and, for IAM users,
``aws:username``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

_IAM_PRINCIPAL = re.compile(r"arn:[^:]+:(iam|sts)::(\d{12}):(user|role|root|assumed-role|federated-user)(/.*)?")


def _text(value: object) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


@lru_cache(maxsize=256)
def _derived(principal: str) -> tuple[tuple[str, str], ...]:
    found = _IAM_PRINCIPAL.fullmatch(principal)
    if not found:
        return ()
    service, account, kind, rest = found.groups()
    derived = [("aws:principalaccount", account)]
    if service == "iam":
        derived.append(("aws:principalarn", principal))
    if kind == "user" and rest:
        derived.append(("aws:username", rest.rsplit("/", 1)[-1]))
    return tuple(derived)


class Context:
    """Context values by lower-cased key: a tuple of values, and whether the key is multivalued."""

    __slots__ = ("_values", "_multi", "problems")

    def __init__(self, raw: Mapping[str, object] | None, principal: str | None = None) -> None:
        self._values: dict[str, tuple[str, ...]] = {}
        self._multi: set[str] = set()
        self.problems: list[str] = []
        if raw is not None and not isinstance(raw, Mapping):
            self.problems.append("the request context must be a mapping of key to value(s)")
            raw = None
        values = self._values
        for key, value in (raw or {}).items():
            if type(value) is str and type(key) is str:  # the common case, kept fast
                values[key.lower()] = (value,)
            else:
                self._add(key, value)
        if isinstance(principal, str):
            for key, value in _derived(principal):
                values.setdefault(key, (value,))

    def _add(self, key: object, value: object) -> None:
        if not isinstance(key, str):
            self.problems.append(f"context key {key!r} is not a string")
            return
        lowered = key.lower()
        if value is None:
            return
        if isinstance(value, (list, tuple, set, frozenset)):
            texts = [_text(item) for item in value]
            if any(text is None for text in texts):
                self.problems.append(f"context key '{key}' has a value that is not text")
                return
            self._values[lowered] = tuple(texts)  # type: ignore[arg-type]
            self._multi.add(lowered)
            return
        text = _text(value)
        if text is None:
            self.problems.append(f"context key '{key}' has a value that is not text")
            return
        self._values[lowered] = (text,)

    def get(self, key: str) -> tuple[str, ...] | None:
        """The values of a lower-cased key, or None when the request does not carry it."""
        return self._values.get(key)

    def variable(self, key: str) -> str | None:
        """The value to substitute for ``${key}``: single-valued keys only."""
        if key in self._multi:
            return None
        values = self._values.get(key)
        return values[0] if values else None
