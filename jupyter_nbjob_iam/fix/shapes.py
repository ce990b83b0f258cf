"""The JSON shapes of a plan's entries (docs/API.md "plan"), as ``TypedDict``s."""

from __future__ import annotations

from typing import Any, TypedDict


class PrincipalRef(TypedDict):
    type: str
    name: str
    arn: str


class Size(TypedDict):
    after: int
    quota: int
    quota_key: str
    aggregate_after: int | None


class Write(TypedDict):
    """One IAM write: what it calls, on what, the document before and after, and why."""

    write_id: str
    api_call: str
    target: str
    principal: PrincipalRef
    policy_name: str | None
    policy_arn: str | None
    adds_sids: list[str]
    adds_services: list[str]
    adds_targets: list[str]
    sid_renames: dict[str, str]
    version_id: str | None
    before: Any
    after: Any
    size: Size | None
    summary: str


class Skipped(TypedDict, total=False):
    """A statement the fix does not write, with the plain reason (``statement`` when it had one)."""

    target: str
    sid: str | None
    status: str | None
    reason: str
    statement: dict[str, Any]


class Blocked(TypedDict):
    """A principal the person cannot write to: the hand-off carries what it lacks."""

    target: str
    principal: PrincipalRef
    kind: str
    permission_set: str | None
    reason: str
    sids: list[str]
    statements: list[dict[str, Any]]
    services: list[str]
