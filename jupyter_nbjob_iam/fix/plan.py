"""Plan: a pure preview of every IAM write the fix would make (reads only, never a write).

Input is a check report (the JSON of ``run_check(...).to_json()``); what is added comes from the
catalog (the guide's statements, verbatim), never from free text. Per statement status:

- ``missing`` / ``partial``: the whole guide statement is added (a partial one is completed by the
  guide's statement beside whatever grants part of it today: nothing is edited);
- ``ok``: nothing;
- ``denied``: skipped, with the reason and a hand-off: an Allow cannot beat an explicit deny, a
  permissions boundary or an SCP, so only an administrator can change this;
- ``conditional`` / ``unknown``: skipped, with the reason: the fix does not write what it cannot check.

Where it goes: one inline policy the tool owns (``policy_name``) on each principal; when the
principal's inline policies together would pass the live quota (``UserPolicySizeQuota`` 2,048 /
``RolePolicySizeQuota`` 10,240, whitespace not counted: ``sizes.py``), a customer managed policy
``<policy_name>-<user|role>-<name>`` instead (``PolicySizeQuota``), created and attached (checking the
attachment quota), or updated with a new version (deleting the oldest non-default version of the
tool's *own* policy at the version limit). Trust: the missing services are merged into the role's
existing trust policy (``merge.merge_trust``; ``AssumeRolePolicySizeQuota``).

``plan_id`` is the SHA-256 of the canonical JSON of the writes and of the live state read, so the
same state gives the same id and any change to either gives another.
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from ..aws import QUOTA_DEFAULTS, get_quotas
from ..aws import writes as aws_writes
from ..aws.session import AwsSession
from ..catalog import required_statements, validate_kms_key_arn
from ..catalog.statements import KMS_SID, TRUST_SERVICES, TRUST_SID
from ..constants import DEFAULT_POLICY_NAME
from ..errors import AccessDeniedError, InputError
from ..handoff import build_handoff
from .merge import MergeError, canonical, merge_statements, merge_trust
from .principals import Principal, target_principal
from .sizes import (
    ATTACHED_QUOTA_KEYS,
    INLINE_QUOTA_KEYS,
    MANAGED_QUOTA_KEY,
    TRUST_QUOTA_KEY,
    VERSIONS_QUOTA_KEY,
    aggregate_size,
    policy_size,
)
from .state import ReadSpec, attached_key, managed_key, read_managed, read_principal, state_to_list, trust_key
from .store import PlanStore, now_iso

POLICY_NAME_RE = re.compile(r"^[\w+=,.@-]{1,128}$")
FIXABLE = frozenset({"missing", "partial"})

LEGACY_REASON = (
    "Only scheduler versions before 3.0 use this statement, and none is installed here, so the fix does "
    "not add it (least privilege)."
)
SKIP_REASONS = {
    "denied": (
        "An explicit deny, a permissions boundary or a service control policy blocks it{by}. An added "
        "Allow cannot override that, so the fix does not try: an administrator has to change that "
        "policy (see the hand-off)."
    ),
    "conditional": (
        "Whether it is allowed depends on details of the real request the check cannot know{keys}. "
        "The fix writes nothing it cannot check: review the condition, or ask an administrator."
    ),
    "unknown": (
        "Your policies could not all be read{why}, so the fix cannot tell what is missing and writes nothing for it."
    ),
}


def validate_policy_name(name: object) -> str:
    if not isinstance(name, str) or not POLICY_NAME_RE.match(name):
        raise InputError(
            "The policy name must be 1 to 128 letters, digits or + = , . @ _ - characters.",
            details={"field": "policy_name", "value": str(name)[:200]},
        )
    return name


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


@dataclass
class _Group:
    """The statements one principal should get, from one or more report targets."""

    principal: Principal
    target: str
    statements: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (report target, statement)
    statuses: dict[tuple[str, str], str] = field(default_factory=dict)  # (target, Sid) -> the check's status


@dataclass
class _Collected:
    groups: dict[str, _Group] = field(default_factory=dict)
    trust: tuple[Principal, list[str]] | None = None
    skipped: list[dict[str, Any]] = field(default_factory=list)
    blocked: list[dict[str, Any]] = field(default_factory=list)


def _kms_key_arn(report: dict[str, Any], target: dict[str, Any]) -> str | None:
    for candidate in (
        report.get("kms_key_arn"),
        target.get("kms_key_arn"),
        *(((s.get("statement") or {}).get("Resource")) for s in target.get("statements") or []),
    ):
        if isinstance(candidate, str):
            validate_kms_key_arn(candidate)
            return candidate
    return None


def _guide(target: str, kms_key_arn: str | None) -> dict[str, dict[str, Any]]:
    if target == "kms":
        if kms_key_arn is None:
            return {}
        return {s.sid: s.statement for s in required_statements("kms", kms_key_arn)}
    return {s.sid: s.statement for s in required_statements(target)}


def _skip_reason(stmt: dict[str, Any]) -> str:
    status = stmt["status"]
    by = ", ".join(
        f"{d.get('policy')} ({d.get('source')})" for d in stmt.get("decided_by") or [] if d.get("effect") == "Deny"
    ) or ", ".join(f"{d.get('policy')} ({d.get('source')})" for d in stmt.get("decided_by") or [])
    keys = ", ".join(stmt.get("unknown_keys") or [])
    detail = stmt.get("detail") or ""
    return SKIP_REASONS[status].format(
        by=f" ({by})" if by else "",
        keys=f" ({keys})" if keys else "",
        why=f" ({detail})" if detail else "",
    )


def _check_report(report: object) -> dict[str, Any]:
    if hasattr(report, "to_json"):
        report = report.to_json()
    if not isinstance(report, dict) or not isinstance(report.get("targets"), list):
        raise InputError("A fix is planned from a check report (a JSON object with targets).")
    return report


def legacy_statements_needed() -> bool:
    """Whether the installed scheduler still uses the legacy statements (``S3DriverAccess``): the
    check decides that from the installed scheduler's version; without the check, assume it does."""
    try:
        from ..check.run import legacy_counts
    except ImportError:  # pragma: no cover - the check is part of the package
        return True
    return bool(legacy_counts()[0])


def _collect(report: dict[str, Any], legacy_needed: bool | None = None) -> _Collected:
    if legacy_needed is None:
        legacy_needed = legacy_statements_needed()
    out = _Collected()
    blocked_keys: set[tuple[str, str]] = set()
    for target in report["targets"]:
        name = target.get("target")
        statements = [s for s in target.get("statements") or [] if isinstance(s, dict)]
        if name not in ("identity", "role", "kms", "trust"):
            continue
        principal = target_principal(report, target)
        if principal is None:
            continue
        fixable = [s for s in statements if s.get("status") in FIXABLE]
        if not legacy_needed:
            for stmt in [s for s in fixable if s.get("legacy")]:
                fixable.remove(stmt)
                out.skipped.append(
                    {"target": name, "sid": stmt.get("sid"), "status": stmt["status"], "reason": LEGACY_REASON}
                )
        for stmt in statements:
            if stmt.get("status") in SKIP_REASONS:
                out.skipped.append(
                    {"target": name, "sid": stmt.get("sid"), "status": stmt["status"], "reason": _skip_reason(stmt)}
                )
        if not fixable:
            continue
        if principal.blocked:
            if (name, principal.arn) not in blocked_keys:
                blocked_keys.add((name, principal.arn))
                out.blocked.append(_blocked_entry(name, principal, report, target, fixable))
            continue
        if name == "trust":
            services: list[str] = []
            for stmt in fixable:
                services.extend(stmt.get("missing_services") or [])
            out.trust = (principal, list(dict.fromkeys(services or TRUST_SERVICES)))
            continue
        guide = _guide(name, _kms_key_arn(report, target) if name == "kms" else None)
        group = out.groups.setdefault(principal.arn, _Group(principal, "role" if name == "role" else "identity"))
        for stmt in fixable:
            sid = stmt.get("sid")
            statement = guide.get(sid) if isinstance(sid, str) else None
            if statement is None:
                out.skipped.append(
                    {
                        "target": name,
                        "sid": sid,
                        "status": stmt.get("status"),
                        "reason": "This statement is not one of the guide's, so the fix does not know what to add.",
                    }
                )
                continue
            group.statements.append((name, copy.deepcopy(statement)))
            group.statuses[(name, str(sid))] = str(stmt.get("status"))
    return out


def _blocked_entry(
    name: str, principal: Principal, report: dict[str, Any], target: dict[str, Any], fixable: list[dict[str, Any]]
) -> dict[str, Any]:
    if name == "trust":
        statements: list[dict[str, Any]] = []
        services = [s for stmt in fixable for s in stmt.get("missing_services") or []] or list(TRUST_SERVICES)
    else:
        guide = _guide(name, _kms_key_arn(report, target) if name == "kms" else None)
        statements = [copy.deepcopy(guide[s["sid"]]) for s in fixable if s.get("sid") in guide]
        services = []
    if principal.kind == "sso-role":
        ps = f" `{principal.permission_set}`" if principal.permission_set else ""
        instead = (
            f"An IAM Identity Center administrator adds the statements to the permission set{ps} (see the hand-off)."
        )
    elif principal.kind in ("root", "federated-user"):
        instead = "Nothing to write here; use an IAM user or role for notebook jobs."
    else:
        instead = "An administrator applies the hand-off's documents."
    return {
        "target": name,
        "principal": principal.ref(),
        "kind": principal.kind,
        "permission_set": principal.permission_set,
        "reason": f"{principal.blocked} {instead}".strip(),
        "sids": [s.get("sid") for s in fixable],
        "statements": statements,
        "services": list(dict.fromkeys(services)),
    }


# -- reading the live state ------------------------------------------------------------------


def _quotas(sess: AwsSession) -> tuple[dict[str, int], str | None]:
    try:
        return get_quotas(sess), None
    except AccessDeniedError:
        return dict(QUOTA_DEFAULTS), (
            "iam:GetAccountSummary was refused, so IAM's default quotas were assumed (2,048 characters "
            "for a user's inline policies, 10,240 for a role's)."
        )


def _read_spec(collected: _Collected, policy_name: str) -> ReadSpec:
    spec = ReadSpec()
    for group in collected.groups.values():
        p = group.principal
        spec.principals.append({"type": p.type, "name": p.name})
        spec.managed.append(_managed_arn(p, policy_name))
    if collected.trust is not None:
        spec.trust_roles.append(collected.trust[0].name)
    return spec


def _managed_arn(p: Principal, policy_name: str) -> str:
    return f"arn:{p.partition}:iam::{p.account}:policy/{managed_policy_name(policy_name, p.type, p.name)}"


# -- computing the writes (pure) ----------------------------------------------------------------


@dataclass
class _Planner:
    state: dict[str, Any]
    extras: dict[str, Any]
    quotas: dict[str, int]
    policy_name: str
    writes: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)

    def add(self, **write: Any) -> dict[str, Any]:
        entry = {
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

    def leave_out(self, group: _Group, indices: list[int], reason: str) -> None:
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
    def added_fields(group: _Group, merged: Any, positions: list[int] | None = None) -> dict[str, Any]:
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
    def principal_writes(self, group: _Group) -> None:
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

    def _present(self, group: _Group, indices: list[int], where: str) -> None:
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

    def managed_writes(self, group: _Group, positions: list[int], inline_after: int, inline_quota: int) -> None:
        """Write the group's statements at ``positions`` to the tool's managed policy instead."""
        p = group.principal
        arn = _managed_arn(p, self.policy_name)
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
                "policy; nothing removed)."
            ),
        )


def compute_writes(
    report: dict[str, Any],
    state: dict[str, Any],
    extras: dict[str, Any],
    quotas: dict[str, int],
    *,
    policy_name: str = DEFAULT_POLICY_NAME,
    collected: Any = None,
    legacy_needed: bool | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """``(writes, skipped, blocked)`` for a report and a live state: pure, no AWS call."""
    collected = collected or _collect(_check_report(report), legacy_needed)
    planner = _Planner(state, extras, quotas, policy_name)
    planner.skipped.extend(collected.skipped)
    for group in collected.groups.values():
        planner.principal_writes(group)
    if collected.trust is not None:
        planner.trust_writes(*collected.trust)
    return planner.writes, planner.skipped, collected.blocked


def _plan_id(writes: list[dict[str, Any]], reads: dict[str, Any], account: str | None) -> str:
    """The account is bound in too: apply and undo refuse credentials of another account than it."""
    body = {"writes": writes, "reads": reads, "account": account}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def plan_digest(plan: dict[str, Any]) -> str:
    """The id a stored plan's own writes, reads and account hash to (its ``plan_id`` unless edited)."""
    return _plan_id(plan.get("writes", []), plan.get("reads", {}), plan.get("account"))


def make_plan(
    session: AwsSession,
    report_json: Any,
    *,
    policy_name: str = DEFAULT_POLICY_NAME,
    store: PlanStore,
) -> dict[str, Any]:
    """Preview every write for a check report, save the plan in ``store`` and return it (docs/API.md)."""
    validate_policy_name(policy_name)
    report = _check_report(report_json)
    collected = _collect(report)
    store.add_secrets(aws_writes.credential_values(session))
    notes: list[str] = []
    quotas, note = _quotas(session)
    if note:
        notes.append(note)
    state, extras = _read_live(session, collected, policy_name, quotas)
    spec = _read_spec(collected, policy_name)
    writes, skipped, blocked = compute_writes(
        report, state, extras, quotas, policy_name=policy_name, collected=collected
    )
    reads = {"spec": spec.to_json(), "state": state_to_list(state)}
    role = report.get("role") or {}
    plan: dict[str, Any] = {
        "plan_id": _plan_id(writes, reads, report.get("account")),
        "created_at": now_iso(),
        "profile": report.get("profile", session.profile),
        "region": report.get("region") or session.region,
        "account": report.get("account"),
        "role_arn": role.get("arn"),
        "kms_key_arn": _report_kms_key(report),
        "policy_name": policy_name,
        "nothing_to_do": not writes,
        "writes": writes,
        "skipped": skipped,
        "blocked": blocked,
        "notes": notes,
        "handoff": build_handoff(
            writes=writes, blocked=blocked, skipped=skipped, account=report.get("account"), policy_name=policy_name
        ),
        "reads": reads,
    }
    store.save_plan(plan)
    return plan


def _read_live(
    session: AwsSession, collected: _Collected, policy_name: str, quotas: dict[str, int]
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
                        f"Your current policies could not be read ({_refused(exc)} was refused), so the fix cannot "
                        "add to them without risking someone else's statements. An administrator applies "
                        "the hand-off's documents."
                    ),
                    "sids": [st["Sid"] for _, st in group.statements],
                    "statements": [st for _, st in group.statements],
                    "services": [],
                }
            )
            continue
        managed = _managed_arn(p, policy_name)
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
                        f"The role's trust policy could not be read ({_refused(exc)} was refused), so the fix "
                        "cannot add to it without risking someone else's principals. An administrator applies "
                        "the hand-off's trust change."
                    ),
                    "sids": [TRUST_SID],
                    "statements": [],
                    "services": list(services),
                }
            )
    extras["version_documents"] = _oldest_version_documents(session, state, extras, quotas)
    return state, extras


def _refused(exc: AccessDeniedError) -> str:
    return str(exc.details.get("denied_action") or exc.details.get("aws_action") or "a read")


def _report_kms_key(report: dict[str, Any]) -> str | None:
    for target in report.get("targets") or []:
        if target.get("target") == "kms":
            return _kms_key_arn(report, target)
    return None


def _oldest_version_documents(
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
                    out[arn] = {"version_id": oldest["version_id"], "unreadable": _refused(exc)}
                    continue
                out[arn] = {"version_id": oldest["version_id"], "document": doc}
    return out


def fixed_statements(plan: dict[str, Any]) -> set[tuple[str, str]]:
    """``(target, sid)`` of every statement the plan's writes add (what verify waits for)."""
    out: set[tuple[str, str]] = set()
    for write in plan.get("writes", []):
        sids = write.get("adds_sids") or []
        targets = write.get("adds_targets") or ["kms" if sid == KMS_SID else write["target"] for sid in sids]
        out.update(zip(targets, sids, strict=True))
    return out
