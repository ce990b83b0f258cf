"""The execution role's trust policy: may SageMaker and EventBridge each assume the role?

A trust policy is a resource policy (it has ``Principal``), which the identity-policy evaluator
rightly refuses, so it is read here, for one request per service: ``sts:AssumeRole`` by the service
principal. A statement applies when its Action/NotAction covers ``sts:AssumeRole`` (``*`` and ``?``
wildcards, case-insensitive) and its Principal/NotPrincipal covers the service (``"*"``,
``{"AWS": "*"}``, or ``{"Service": name or [names]}``). A statement with a Condition applies or not
depending on what the service sends (``aws:SourceAccount``, ``aws:SourceArn``, ...), which the check
cannot know: it makes the answer ``conditional``, never a guessed ok. An applying Deny wins.

Per service: ``denied`` (an unconditional Deny), ``ok`` (an unconditional Allow and no Deny that
could apply), ``conditional``, or ``missing``. The statement ``TrustRelationship`` is ``denied`` when
any service is denied, else ``missing`` when any is missing (``missing_services`` names them, the way
DESIGN.md's report example shows a role trusting SageMaker only), else ``conditional``, else ``ok``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..catalog import trust_requirement
from ..policy.wildcard import glob_test, plain
from .report import DecidedBy, StatementResult
from .statements import as_list

ASSUME_ROLE = "sts:AssumeRole"
TRUST_POLICY = "trust policy"
WHY = (
    "Lets SageMaker run the job, and EventBridge start it on schedule, with this role (the scheduler "
    "uses the same role for both)."
)


@lru_cache(maxsize=256)
def _covers_assume_role(pattern: str) -> bool:
    # The evaluator's non-backtracking matcher: a hostile pattern cannot hang the check.
    return glob_test(plain(pattern), ignore_case=True)(ASSUME_ROLE)


def _action_applies(statement: dict[str, Any]) -> bool:
    if "Action" in statement:
        return any(isinstance(a, str) and _covers_assume_role(a) for a in as_list(statement["Action"]))
    if "NotAction" in statement:
        return not any(isinstance(a, str) and _covers_assume_role(a) for a in as_list(statement["NotAction"]))
    return False


def _names(principal: Any, service: str) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    if "*" in as_list(principal.get("AWS")):
        return True
    return service in [s for s in as_list(principal.get("Service")) if isinstance(s, str)]


def _principal_applies(statement: dict[str, Any], service: str) -> bool:
    if "Principal" in statement:
        return _names(statement["Principal"], service)
    if "NotPrincipal" in statement:
        return not _names(statement["NotPrincipal"], service)
    return False


def _condition_keys(statement: dict[str, Any]) -> list[str]:
    condition = statement.get("Condition")
    if not isinstance(condition, dict):
        return []
    return [key for block in condition.values() if isinstance(block, dict) for key in block]


def service_status(trust_policy: Any, service: str) -> tuple[str, list[DecidedBy], list[str]]:
    """``(status, decided_by, condition keys)`` of ``sts:AssumeRole`` by ``service``; status is
    ``ok``, ``missing``, ``denied``, ``conditional`` or ``unknown`` (no readable statements)."""
    raw = trust_policy.get("Statement") if isinstance(trust_policy, dict) else None
    statements = [raw] if isinstance(raw, dict) else raw
    if not isinstance(statements, list):
        return "unknown", [], []
    allows: list[DecidedBy] = []
    denies: list[DecidedBy] = []
    maybe_allows: list[DecidedBy] = []
    maybe_denies: list[DecidedBy] = []
    keys: list[str] = []
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") not in ("Allow", "Deny"):
            continue
        if not (_action_applies(statement) and _principal_applies(statement, service)):
            continue
        entry = DecidedBy(TRUST_POLICY, "trust", statement.get("Sid"), statement["Effect"])
        conditions = _condition_keys(statement)
        keys += [k for k in conditions if k not in keys]
        deny = statement["Effect"] == "Deny"
        if conditions:
            (maybe_denies if deny else maybe_allows).append(entry)
        else:
            (denies if deny else allows).append(entry)
    if denies:
        return "denied", denies, []
    if allows and not maybe_denies:
        return "ok", allows, []
    if allows or maybe_allows:
        return "conditional", maybe_denies + maybe_allows, keys
    return "missing", [], []


def check_trust(trust_policy: Any) -> StatementResult:
    """The ``TrustRelationship`` statement's result for a role's AssumeRolePolicyDocument."""
    requirement = trust_requirement()
    per_service = {s: service_status(trust_policy, s) for s in requirement.services}
    statuses = {s: v[0] for s, v in per_service.items()}
    decided = [d for _, by, _ in per_service.values() for d in by]
    keys = list(dict.fromkeys(k for _, _, ks in per_service.values() for k in ks))

    def result(status: str, detail: str, services: tuple | list = (), unknown: tuple | list = ()) -> StatementResult:
        return StatementResult(
            sid=requirement.sid,
            status=status,
            detail=detail,
            why=WHY,
            legacy=False,
            statement=requirement.statement,
            missing_actions=(ASSUME_ROLE,) if services else (),
            missing_services=tuple(services),
            unknown_keys=tuple(unknown),
            decided_by=tuple(dict.fromkeys(decided)),
        )

    if "unknown" in statuses.values():
        return result("unknown", "The role's trust policy could not be read.")
    denied = [s for s, st in statuses.items() if st == "denied"]
    missing = [s for s, st in statuses.items() if st == "missing"]
    if denied:
        return result(
            "denied",
            f"The trust policy explicitly denies {', '.join(denied)} from assuming this role.",
            denied + missing,
        )
    if missing:
        trusted = [s for s, st in statuses.items() if st == "ok"]
        also = f" It does trust {', '.join(trusted)}." if trusted else ""
        return result("missing", f"The trust policy does not let {', '.join(missing)} assume this role.{also}", missing)
    conditional = [s for s, st in statuses.items() if st == "conditional"]
    if conditional:
        return result(
            "conditional",
            f"Whether {', '.join(conditional)} may assume this role depends on the trust policy's conditions on "
            f"{', '.join(keys)}, which the check cannot know.",
            unknown=keys,
        )
    return result("ok", "SageMaker and EventBridge may both assume this role.")
