"""The AWS reads a plan rests on: quotas, the principals' policies, the tool's managed policy, trust.

A principal whose policies cannot be read is handed off (merging blind could overwrite someone's
statements): it moves from the collected groups to the blocked list.
"""

from __future__ import annotations

from typing import Any

from ..aws import QUOTA_DEFAULTS, get_quotas
from ..aws import writes as aws_writes
from ..aws.session import AwsSession
from ..catalog.statements import TRUST_SID
from ..errors import AccessDeniedError
from .collect import Collected
from .planner import managed_arn
from .sizes import VERSIONS_QUOTA_KEY
from .state import ReadSpec, managed_key, read_managed, read_principal, trust_key


def read_quotas(sess: AwsSession) -> tuple[dict[str, int], str | None]:
    try:
        return get_quotas(sess), None
    except AccessDeniedError:
        return dict(QUOTA_DEFAULTS), (
            "iam:GetAccountSummary was refused, so IAM's default quotas were assumed (2,048 characters "
            "for a user's inline policies, 10,240 for a role's)."
        )


def read_spec(collected: Collected, policy_name: str) -> ReadSpec:
    spec = ReadSpec()
    for group in collected.groups.values():
        p = group.principal
        spec.principals.append({"type": p.type, "name": p.name})
        spec.managed.append(managed_arn(p, policy_name))
    if collected.trust is not None:
        spec.trust_roles.append(collected.trust[0].name)
    return spec


def read_live(
    session: AwsSession, collected: Collected, policy_name: str, quotas: dict[str, int]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read what the writes depend on. A principal whose policies cannot be read is handed off
    (merging blind could overwrite someone's statements); it is dropped from ``collected.groups``."""
    state: dict[str, Any] = {}
    extras: dict[str, Any] = {"versions": {}}
    for arn, group in list(collected.groups.items()):
        p = group.principal
        try:
            state.update(read_principal(session, p.type, p.name))
        except AccessDeniedError as exc:
            del collected.groups[arn]
            collected.blocked.append(
                {
                    "target": group.target,
                    "principal": p.ref(),
                    "kind": p.kind,
                    "permission_set": None,
                    "reason": (
                        f"Your current policies could not be read ({refused(exc)} was refused), so the fix cannot "
                        "add to them without risking someone else's statements. An administrator applies "
                        "the hand-off's documents."
                    ),
                    "sids": [st["Sid"] for _, st in group.statements],
                    "statements": [st for _, st in group.statements],
                    "services": [],
                }
            )
            continue
        managed = managed_arn(p, policy_name)
        try:
            entry, versions = read_managed(session, managed)
        except AccessDeniedError:
            entry, versions = {"unreadable": True}, []
        state[managed_key(managed)] = entry
        extras["versions"][managed] = versions
    if collected.trust is not None:
        principal, services = collected.trust
        try:
            state[trust_key(principal.name)] = aws_writes.get_trust_policy(session, principal.name)
        except AccessDeniedError as exc:
            collected.trust = None  # not read, so not in the plan's reads either
            collected.blocked.append(
                {
                    "target": "trust",
                    "principal": principal.ref(),
                    "kind": principal.kind,
                    "permission_set": None,
                    "reason": (
                        f"The role's trust policy could not be read ({refused(exc)} was refused), so the fix "
                        "cannot add to it without risking someone else's principals. An administrator applies "
                        "the hand-off's trust change."
                    ),
                    "sids": [TRUST_SID],
                    "statements": [],
                    "services": list(services),
                }
            )
    extras["version_documents"] = oldest_version_documents(session, state, extras, quotas)
    return state, extras


def refused(exc: AccessDeniedError) -> str:
    return str(exc.details.get("denied_action") or exc.details.get("aws_action") or "a read")


def oldest_version_documents(
    session: AwsSession, state: dict[str, Any], extras: dict[str, Any], quotas: dict[str, int]
) -> dict[str, Any]:
    """The document of the version a plan would delete (so its backup keeps it)."""
    out: dict[str, Any] = {}
    limit = quotas.get(VERSIONS_QUOTA_KEY, QUOTA_DEFAULTS[VERSIONS_QUOTA_KEY])
    for arn, versions in extras.get("versions", {}).items():
        entry = state.get(managed_key(arn)) or {}
        if entry.get("tool_owned") and len(versions) >= limit:
            oldest = next((v for v in versions if not v["is_default"]), None)
            if oldest is not None:
                try:
                    doc = aws_writes.get_policy_version_document(session, arn, oldest["version_id"])
                except AccessDeniedError as exc:  # the version is then not deleted (see _make_room)
                    out[arn] = {"version_id": oldest["version_id"], "unreadable": refused(exc)}
                    continue
                out[arn] = {"version_id": oldest["version_id"], "document": doc}
    return out
