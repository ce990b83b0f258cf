"""The request context with case-insensitive key lookup.

A ``str`` value is a single-valued key; a list (or tuple/set) of ``str`` is a multivalued key.
Booleans and numbers are taken as their IAM text (``true``, ``42``); ``None`` means "absent".

When the request names a principal, the keys that AWS's global condition keys page says every
signed request carries, and whose value follows from the principal's ARN, are added unless the
context already names them (a key given as None stays absent):

============================  =======================================================================
``aws:PrincipalAccount``      the account of the ARN
``aws:PrincipalType``         ``User``, ``Account`` (root), ``FederatedUser``, ``AssumedRole`` (a role
                              ARN stands for its sessions: roles act only through sessions)
``aws:PrincipalArn``          users, roles, root and STS federated users (a session ARN drops the
                              role's path, so for ``assumed-role/...`` it is not derived)
``aws:PrincipalIsAWSService`` ``false``: these are IAM principals, not service principals
``aws:username``              IAM users only: the last part of the name
``aws:userid``                root (the account ID) and federated users (``account:name``); users
                              and roles have unique IDs the ARN does not show
============================  =======================================================================
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

_IAM_PRINCIPAL = re.compile(
    r"arn:[^:]+:(iam|sts)::(\d{12}):(user|role|root|assumed-role|federated-user)(/.*)?", re.ASCII
)
_PRINCIPAL_TYPES = {
    "user": "User",
    "root": "Account",
    "federated-user": "FederatedUser",
    "role": "AssumedRole",
    "assumed-role": "AssumedRole",
}


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
    if (service == "sts") != (kind in ("assumed-role", "federated-user")) or (kind == "root") != (not rest):
        return ()  # not a principal ARN AWS would show (e.g. arn:aws:sts::...:user/x)
    derived = [
        ("aws:principalaccount", account),
        ("aws:principaltype", _PRINCIPAL_TYPES[kind]),
        ("aws:principalisawsservice", "false"),
    ]
    if kind != "assumed-role":
        derived.append(("aws:principalarn", principal))
    name = rest.rsplit("/", 1)[-1] if rest else ""
    if kind == "user" and name:
        derived.append(("aws:username", name))
    if kind == "root":
        derived.append(("aws:userid", account))
    if kind == "federated-user" and name:
        derived.append(("aws:userid", f"{account}:{name}"))
    return tuple(derived)


class Context:
    """Context values by lower-cased key: a tuple of values, and whether the key is multivalued."""

    __slots__ = ("_values", "_multi", "_named", "problems")

    def __init__(self, raw: Mapping[str, object] | None, principal: str | None = None) -> None:
        self._values: dict[str, tuple[str, ...]] = {}
        self._multi: set[str] = set()
        self.problems: list[str] = []
        if raw is not None and not isinstance(raw, Mapping):
            self.problems.append("the request context must be a mapping of key to value(s)")
            raw = None
        values = self._values
        named: set[str] = set()  # keys the caller named, None included: never derived over
        self._named = named
        for key, value in (raw or {}).items():
            if type(value) is str and type(key) is str:  # the common case, kept fast
                values[key.lower()] = (value,)
            else:
                self._add(key, value)
        if isinstance(principal, str):
            for key, value in _derived(principal):
                if key not in values and key not in named:
                    values[key] = (value,)

    def _add(self, key: object, value: object) -> None:
        if not isinstance(key, str):
            self.problems.append(f"context key {key!r} is not a string")
            return
        lowered = key.lower()
        self._named.add(lowered)
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
