"""The extension's endpoints, enumerated from its own route table (so none can be forgotten)."""

from __future__ import annotations

import re

from jupyter_nbjob_iam.handlers import route_table

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def _own_methods(handler: type) -> set[str]:
    own = [k for k in handler.__mro__ if k.__module__.startswith("jupyter_nbjob_iam")]
    return {m for m in HTTP_METHODS if any(m in vars(k) for k in own)}


def endpoints() -> list[tuple[str, str]]:
    found = set()
    for pattern, handler in route_table():
        path = re.sub(r"\([^)]*\)", "sample", pattern).lstrip("/")
        for method in _own_methods(handler):
            found.add((method.upper(), path))
    return sorted(found)


def fetch_args(method: str, path: str) -> tuple[list[str], dict]:
    kwargs = {"method": method, "follow_redirects": False}
    if method != "GET":
        kwargs["body"] = "{}"
    return path.split("/"), kwargs
