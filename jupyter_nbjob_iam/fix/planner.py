"""The pure planner: the writes that add a report's missing statements to the live state read.

Where it goes: one inline policy the tool owns (``policy_name``) on each principal; when the
principal's inline policies together would pass the live quota (``UserPolicySizeQuota`` 2,048 /
``RolePolicySizeQuota`` 10,240, whitespace not counted: ``sizes.py``), a customer managed policy
``<policy_name>-<user|role>-<name>`` instead (``PolicySizeQuota``), created and attached (checking the
attachment quota), or updated with a new version (deleting the oldest non-default version of the
tool's *own* policy at the version limit). Trust: the missing services are merged into the role's
existing trust policy (``merge.merge_trust``; ``AssumeRolePolicySizeQuota``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from ..aws import QUOTA_DEFAULTS
from ..catalog.statements import TRUST_SID
from ..constants import DEFAULT_POLICY_NAME
from .collect import Collected, Group, check_report, collect
from .merge import MergeError, merge_statements, merge_trust
from .principals import Principal
from .shapes import Blocked, Skipped, Write
from .sizes import (
    ATTACHED_QUOTA_KEYS,
    INLINE_QUOTA_KEYS,
    MANAGED_QUOTA_KEY,
    TRUST_QUOTA_KEY,
    VERSIONS_QUOTA_KEY,
    aggregate_size,
    policy_size,
)
from .state import attached_key, managed_key, trust_key
from .text import GUARD_NOTE

MANAGED_NAME_MAX = 128


def managed_policy_name(policy_name: str, principal_type: str, principal_name: str) -> str:
    """``<policy_name>-<user|role>-<name>``: the type keeps a user and a role of the same name apart.
    Past IAM's 128 characters it is cut and ends with a short hash of the full name, so two long
    names sharing a prefix still get policies of their own."""
    full = f"{policy_name}-{principal_type}-{principal_name}"
    if len(full) <= MANAGED_NAME_MAX:
        return full
    digest = hashlib.sha256(full.encode("utf-8")).hexdigest()[:10]
    return f"{full[: MANAGED_NAME_MAX - len(digest) - 1]}-{digest}"


def managed_arn(p: Principal, policy_name: str) -> str:
    return f"arn:{p.partition}:iam::{p.account}:policy/{managed_policy_name(policy_name, p.type, p.name)}"


@dataclass
class Planner:
    state: dict[str, Any]
    extras: dict[str, Any]
    quotas: dict[str, int]
    policy_name: str
    writes: list[Write] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def add(self, **write: Any) -> Write:
        entry: Write = {
            "write_id": f"w{len(self.writes) + 1}",
            "api_call": write["api_call"],
            "target": write["target"],
            "principal": write["principal"],
            "policy_name": write.get("policy_name"),
            "policy_arn": write.get("policy_arn"),
            "adds_sids": write.get("adds_sids", []),
            "adds_services": write.get("adds_services", []),
            "adds_targets": write.get("adds_targets", []),
            "sid_renames": write.get("sid_renames", {}),
            "version_id": write.get("version_id"),
            "before": write.get("before"),
            "after": write.get("after"),
            "size": write.get("size"),
            "summary": write["summary"],
        }
        self.writes.append(entry)
        return entry

    def leave_out(self, group: Group, indices: list[int], reason: str) -> None:
        """Skip the group's statements at ``indices`` (positions in ``group.statements``)."""
        for i in indices:
            target, statement = group.statements[i]
            self.skipped.append(
                {
                    "target": target,
                    "sid": statement["Sid"],
                    "status": group.statuses.get((target, statement["Sid"]), "missing"),
                    "reason": reason,
                    "statement": statement,
                }
            )

    @staticmethod
    def added_fields(group: Group, merged: Any, positions: list[int] | None = None) -> dict[str, Any]:
        """``adds_sids``, ``adds_targets`` and ``sid_renames`` of a write, from a statement merge of
        the group's statements at ``positions`` (all of them when None)."""
        added = merged.added
        pos = positions if positions is not None else list(range(len(group.statements)))
        return {
            "adds_sids": [sid for sid, _ in added],
            "adds_targets": [group.statements[pos[i]][0] for i in merged.added_index],
            "sid_renames": {sid: written for sid, written in added if sid != written},
        }

    # -- statements for one principal --------------------------------------------------------
    def principal_writes(self, group: Group) -> None:
        p = group.principal
        required = [st for _, st in group.statements]
        prefix = f"inline:{p.type}:{p.name}:"
        inline = {k[len(prefix) :]: v for k, v in self.state.items() if k.startswith(prefix)}
        before = inline.get(self.policy_name)
        try:
            merged = merge_statements(before, required, what=f"inline policy {self.policy_name}")
        except MergeError as exc:
            self.leave_out(group, list(range(len(required))), str(exc))
            return
        self._present(group, merged.present_index, self.policy_name)
        if not merged.added:
            return
        quota_key = INLINE_QUOTA_KEYS[p.type]
        quota = self.quotas.get(quota_key, QUOTA_DEFAULTS[quota_key])
        aggregate_after = aggregate_size(inline.values()) - policy_size(before) + policy_size(merged.document)
        if aggregate_after <= quota:
            self.add(
                api_call=f"iam:Put{p.type.capitalize()}Policy",
                target=group.target,
                principal=p.ref(),
                policy_name=self.policy_name,
                **self.added_fields(group, merged),
                before=before,
                after=merged.document,
                size={
                    "after": policy_size(merged.document),
                    "quota": quota,
                    "quota_key": quota_key,
                    "aggregate_after": aggregate_after,
                },
                summary=self._inline_summary(p, before, [sid for sid, _ in merged.added]),
            )
            return
        # Only what the inline policy lacks moves to the managed policy: a statement already there was
        # reported as skipped ("already in ...") above and is not written a second time.
        self.managed_writes(group, merged.added_index, aggregate_after, quota)

    def _present(self, group: Group, indices: list[int], where: str) -> None:
        if indices:
            self.leave_out(
                group,
                indices,
                f"The guide's statement is already in {where}; the check still finds it lacking, which "
                "usually means IAM has not caught up yet (it can take a few minutes), or that a service "
                "control policy or session policy limits it.",
            )

    def _inline_summary(self, p: Principal, before: Any, added: list[str]) -> str:
        sids = ", ".join(added)
        n = len(added)
        noun = "statement" if n == 1 else "statements"
        if before is None:
            return f"Create the inline policy {self.policy_name} on {p.describe()} with {n} {noun} ({sids})."
        return (
            f"Add {n} {noun} ({sids}) to the inline policy {self.policy_name} of {p.describe()}; nothing in it changes."
        )

    def managed_writes(self, group: Group, positions: list[int], inline_after: int, inline_quota: int) -> None:
        """Write the group's statements at ``positions`` to the tool's managed policy instead."""
        p = group.principal
        arn = managed_arn(p, self.policy_name)
        name = managed_policy_name(self.policy_name, p.type, p.name)
        entry = self.state.get(managed_key(arn)) or {"exists": False}
        required = [group.statements[i][1] for i in positions]
        every = list(positions)
        why = (
            f"{p.describe()}'s inline policies together would be {inline_after:,} characters, past IAM's "
            f"{inline_quota:,}"
        )
        if entry.get("unreadable"):
            self.leave_out(group, every, f"{why}, and the managed policy {name} could not be read (see the hand-off).")
            return
        if entry.get("exists") and not entry.get("tool_owned"):
            self.leave_out(
                group,
                every,
                f"{why}, and a managed policy named {name} already exists that this tool did not create: "
                "it is left alone (see the hand-off).",
            )
            return
        before = entry.get("document") if entry.get("exists") else None
        try:
            merged = merge_statements(before, required, what=f"managed policy {name}")
        except MergeError as exc:
            self.leave_out(group, every, str(exc))
            return
        self._present(group, [positions[j] for j in merged.present_index], f"the managed policy {name}")
        added_positions = [positions[j] for j in merged.added_index]
        if not merged.added:
            return
        size_quota = self.quotas.get(MANAGED_QUOTA_KEY, QUOTA_DEFAULTS[MANAGED_QUOTA_KEY])
        size_after = policy_size(merged.document)
        if size_after > size_quota:
            self.leave_out(
                group,
                added_positions,
                f"{why}, and the managed policy {name} would be {size_after:,} characters, past IAM's "
                f"{size_quota:,} (see the hand-off).",
            )
            return
        attached = self.state.get(attached_key(p.type, p.name)) or []
        attach_quota_key = ATTACHED_QUOTA_KEYS[p.type]
        attach_quota = self.quotas.get(attach_quota_key, QUOTA_DEFAULTS[attach_quota_key])
        if arn not in attached and len(attached) >= attach_quota:
            self.leave_out(
                group,
                added_positions,
                f"{why}, and {p.describe()} already has {len(attached)} managed policies attached, the "
                f"account's limit of {attach_quota} (see the hand-off).",
            )
            return
        size = {"after": size_after, "quota": size_quota, "quota_key": MANAGED_QUOTA_KEY, "aggregate_after": None}
        common = {"target": group.target, "principal": p.ref(), "policy_name": name, "policy_arn": arn}
        fields = self.added_fields(group, merged, positions)
        added = fields["adds_sids"]
        exists = bool(entry.get("exists"))
        if exists and not self._make_room(arn, name, common):
            self.leave_out(
                group,
                added_positions,
                f"{why}, and the managed policy {name} is at its version limit, but its oldest version could "
                "not be read to keep it in the backup, so it is not deleted to make room (see the hand-off).",
            )
            return
        listed = ", ".join(added)
        self.add(
            api_call="iam:CreatePolicyVersion" if exists else "iam:CreatePolicy",
            **fields,
            before=before,
            after=merged.document,
            size=size,
            summary=(
                f"Add {listed} to the managed policy {name} as its new default version: {why}."
                if exists
                else f"Create the customer managed policy {name} with {len(added)} statements ({listed}): {why}."
            ),
            **common,
        )
        if arn not in attached:
            self.add(
                api_call=f"iam:Attach{p.type.capitalize()}Policy",
                summary=f"Attach the managed policy {name} to {p.describe()}.",
                **common,
            )

    def _make_room(self, arn: str, name: str, common: dict[str, Any]) -> bool:
        """At the version limit, delete the oldest non-default version of the tool's own policy.
        False when that is needed but its document could not be read (undo could not re-create it)."""
        versions = self.extras.get("versions", {}).get(arn, [])
        limit = self.quotas.get(VERSIONS_QUOTA_KEY, QUOTA_DEFAULTS[VERSIONS_QUOTA_KEY])
        oldest = next((v for v in versions if not v["is_default"]), None)
        if len(versions) < limit or oldest is None:
            return True
        if (self.extras.get("version_documents", {}).get(arn) or {}).get("unreadable"):
            return False
        self.add(
            api_call="iam:DeletePolicyVersion",
            version_id=oldest["version_id"],
            before=(self.extras.get("version_documents", {}).get(arn) or {}).get("document"),
            after=None,
            summary=(
                f"Delete version {oldest['version_id']} (not the default) of this tool's own policy {name}: "
                f"a managed policy keeps at most {limit} versions."
            ),
            **common,
        )
        return True

    # -- trust --------------------------------------------------------------------------------
    def _skip_trust(self, reason: str) -> None:
        self.skipped.append({"target": "trust", "sid": TRUST_SID, "status": "missing", "reason": reason})

    def trust_writes(self, principal: Principal, services: list[str]) -> None:
        before = self.state.get(trust_key(principal.name))
        try:
            merged = merge_trust(before, services)
        except MergeError as exc:
            self._skip_trust(str(exc))
            return
        if not merged.added:
            self._skip_trust("The role's trust policy already names these services; IAM may not have caught up yet.")
            return
        quota = self.quotas.get(TRUST_QUOTA_KEY, QUOTA_DEFAULTS[TRUST_QUOTA_KEY])
        size = policy_size(merged.document)
        if size > quota:
            self._skip_trust(
                f"The role's trust policy would be {size:,} characters, past IAM's {quota:,} (see the hand-off)."
            )
            return
        self.add(
            api_call="iam:UpdateAssumeRolePolicy",
            target="trust",
            principal=principal.ref(),
            policy_name=None,
            adds_sids=[TRUST_SID],
            adds_targets=["trust"],
            adds_services=merged.added,
            before=before,
            after=merged.document,
            size={"after": size, "quota": quota, "quota_key": TRUST_QUOTA_KEY, "aggregate_after": None},
            summary=(
                f"Let {' and '.join(merged.added)} assume the role {principal.name} (added to its trust "
                "policy; nothing removed)." + (f" {GUARD_NOTE.format(keys=merged.guarded)}" if merged.guarded else "")
            ),
        )


def compute_writes(
    report: dict[str, Any],
    state: dict[str, Any],
    extras: dict[str, Any],
    quotas: dict[str, int],
    *,
    policy_name: str = DEFAULT_POLICY_NAME,
    collected: Collected | None = None,
    legacy_needed: bool | None = None,
) -> tuple[list[Write], list[Skipped], list[Blocked]]:
    """``(writes, skipped, blocked)`` for a report and a live state: pure, no AWS call."""
    collected = collected or collect(check_report(report), legacy_needed)
    planner = Planner(state, extras, quotas, policy_name)
    planner.skipped.extend(collected.skipped)
    for group in collected.groups.values():
        planner.principal_writes(group)
    if collected.trust is not None:
        planner.trust_writes(*collected.trust)
    return planner.writes, planner.skipped, collected.blocked
