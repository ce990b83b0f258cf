"""The service behind the REST API: one method per endpoint, plain dicts in and out.

Handlers stay thin (parse, call one method on a worker thread, write JSON); the CLI calls the same
check and fix functions. The class holds every setting the checks and fixes use (traitlets), so an
administrator configures it as ``c.NbJobIamService.<name>``, and is swappable through
``NbJobIamApp.service_class`` (tests inject faults).

It owns the process-wide ``AwsLimiter``: every AWS call of every request takes one of its
``aws_max_concurrency`` slots, and parallel reads run on its pool. Each method takes the request's
``Deadline`` (``deadline(kind)``): past it, no new AWS call starts and the method raises
``DeadlineError`` naming the slow step.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from traitlets import Float, Integer, Unicode, validate
from traitlets.config import LoggingConfigurable

from . import __version__
from .aws import AwsSession, get_identity, list_roles, resolve_context
from .aws._tasks import AwsLimiter, Deadline
from .constants import (
    AWS_MAX_CONCURRENCY,
    CHECK_TIMEOUT,
    DEFAULT_POLICY_NAME,
    FIX_TIMEOUT,
    VERIFY_TIMEOUT,
)
from .errors import InputError
from .models import CheckParams
from .scheduler_env import environment_json
from .scheduler_settings import read_scheduler_settings

# How a deadline's message names each request ("The check did not finish within 30 s ...").
REQUEST_NAMES = {"identity": "identity lookup", "roles": "role listing", "apply": "fix"}

# Seconds of a fix's deadline kept back after verification, for the last re-check to answer.
VERIFY_MARGIN = 5.0


class NbJobIamService(LoggingConfigurable):
    """Checks and fixes, for the REST API."""

    default_profile = Unicode(None, allow_none=True, config=True, help="AWS profile to use when the panel names none.")
    default_region = Unicode(
        None,
        allow_none=True,
        config=True,
        help="AWS region to use when the panel names none (else the scheduler's resolution order).",
    )
    inline_policy_name = Unicode(
        DEFAULT_POLICY_NAME,
        config=True,
        help="Name of the inline policy this tool owns and adds required statements to.",
    )
    state_dir = Unicode(
        "",
        config=True,
        help="Where plans, backups of replaced IAM documents and the apply journal are kept "
        "(default: Jupyter's data dir).",
    )
    aws_max_concurrency = Integer(
        AWS_MAX_CONCURRENCY,
        config=True,
        help="AWS calls in flight at once, for the whole server (every request shares this bound and "
        "the pool of as many threads that runs parallel reads).",
    )
    check_timeout = Float(
        CHECK_TIMEOUT,
        config=True,
        help="Seconds a check, plan, identity or roles request may take before it answers 504.",
    )
    fix_timeout = Float(
        FIX_TIMEOUT,
        config=True,
        help="Seconds an apply or undo may take, its verification included, before it answers 504.",
    )
    verify_timeout = Float(
        VERIFY_TIMEOUT,
        config=True,
        help="Seconds to keep re-checking after a fix while IAM propagates (within fix_timeout).",
    )

    @validate("aws_max_concurrency")
    def _positive(self, proposal: Any) -> int:
        if proposal["value"] < 1:
            raise ValueError("aws_max_concurrency must be at least 1")
        return int(proposal["value"])

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.limiter = AwsLimiter(self.aws_max_concurrency)
        self._store = None
        self._store_lock = threading.Lock()

    def close(self) -> None:
        self.limiter.shutdown()

    # -- requests ---------------------------------------------------------------------------
    def deadline(self, kind: str) -> Deadline:
        """A new deadline for a request of ``kind`` (``check``, ``plan``, ``identity``, ``roles``,
        ``apply``, ``undo``)."""
        seconds = self.fix_timeout if kind in ("apply", "undo") else self.check_timeout
        return Deadline(seconds, what=REQUEST_NAMES.get(kind, kind))

    def session(
        self, profile: str | None = None, region: str | None = None, deadline: Deadline | None = None
    ) -> AwsSession:
        session = AwsSession(
            profile=profile or self.default_profile,
            region=region or self.default_region,
            limiter=self.limiter,
            deadline=deadline,
        )
        session.log = self.log
        return session

    @property
    def store(self):
        from .fix import PlanStore

        with self._store_lock:
            if self._store is None:
                self._store = PlanStore(Path(self.state_dir) if self.state_dir else None)
            return self._store

    # -- endpoints ------------------------------------------------------------------------
    def context(self, profile: str | None = None) -> dict[str, Any]:
        """No AWS call: profiles and region from the config files, the scheduler's saved role."""
        context = resolve_context(profile=profile or self.default_profile)
        if self.default_region:
            context["region"], context["region_source"] = self.default_region, "server configuration"
        saved = read_scheduler_settings()
        context["scheduler"] = {"role_arn": saved.role_arn}
        context["scheduler_settings"] = saved.to_json()
        context["environment"] = environment_json()
        context["settings"] = {"inline_policy_name": self.inline_policy_name}
        context["version"] = __version__
        return context

    def identity(
        self, profile: str | None = None, region: str | None = None, *, deadline: Deadline | None = None
    ) -> dict[str, Any]:
        return get_identity(self.session(profile, region, deadline)).to_dict()

    def roles(
        self, profile: str | None = None, region: str | None = None, *, deadline: Deadline | None = None
    ) -> dict[str, Any]:
        from .check import resolve_default_role

        session = self.session(profile, region, deadline)
        roles = list_roles(session)
        default_arn, source = resolve_default_role(session, roles=roles)
        ordered = sorted(roles, key=lambda r: (not r.trusts_sagemaker, r.name.lower()))
        return {
            "roles": [_role_summary(r) for r in ordered],
            "default_role_arn": default_arn,
            "default_role_source": source,
        }

    def _report(self, params: CheckParams, deadline: Deadline | None) -> tuple[AwsSession, dict[str, Any]]:
        from .check import run_check

        session = self.session(params.profile, params.region, deadline)
        try:
            report = run_check(session, **params.check_inputs())
        except InputError as exc:
            if exc.details.get("field") == "role":  # the check's word; the request's field is role_arn
                exc.details["field"] = "role_arn"
            raise
        return session, report.to_json()

    def check(self, params: CheckParams, *, deadline: Deadline | None = None) -> dict[str, Any]:
        return self._report(params, deadline)[1]

    def plan(self, params: CheckParams, *, deadline: Deadline | None = None) -> dict[str, Any]:
        from .fix import make_plan

        session, report = self._report(params, deadline)
        plan = make_plan(
            session,
            report,
            policy_name=params.policy_name or self.inline_policy_name,
            as_guide=params.as_guide,
            store=self.store,
        )
        self.log.info(
            "nbjob-iam plan %s: %d write(s) previewed for account %s",
            plan.get("plan_id"),
            len(plan.get("writes") or []),
            plan.get("account"),
        )
        return plan

    def _verify_budget(self, deadline: Deadline | None) -> float:
        """The verification's time: ``verify_timeout``, cut to what the deadline leaves."""
        remaining = deadline.remaining() if deadline is not None else None
        if remaining is None:
            return self.verify_timeout
        return max(0.0, min(self.verify_timeout, remaining - VERIFY_MARGIN))

    def apply(self, plan_id: str, *, deadline: Deadline | None = None) -> dict[str, Any]:
        from .fix import apply_plan

        plan = self.store.load_plan(plan_id)
        session = self.session(plan.get("profile"), plan.get("region"), deadline)
        session.log_context = {"plan_id": plan_id}
        result = apply_plan(session, plan_id, store=self.store, verify_timeout=self._verify_budget(deadline))
        self.log.info(
            "nbjob-iam apply %s: %s, %d write(s) applied, %d failed, verified=%s",
            plan_id,
            result.get("status"),
            len(result.get("applied") or []),
            len(result.get("failed") or []),
            result.get("verified"),
        )
        return result

    def undo(self, backup_id: str, *, deadline: Deadline | None = None) -> dict[str, Any]:
        from .fix import undo
        from .fix.undo import bound_plan

        plan = bound_plan(self.store, self.store.load_backup(backup_id))  # the plan's, never the backup's
        session = self.session(plan.get("profile"), plan.get("region"), deadline)
        session.log_context = {"backup_id": backup_id, "plan_id": plan.get("plan_id")}
        result = undo(session, backup_id, store=self.store)
        self.log.info("nbjob-iam undo %s: %d write(s) restored", backup_id, len(result.get("restored") or []))
        return result


def _role_summary(role: Any) -> dict[str, Any]:
    return {
        "arn": role.arn,
        "name": role.name,
        "path": role.path,
        "trusts_sagemaker": role.trusts_sagemaker,
        "trusts_events": role.trusts_events,
        "editable": role.editable,
        "not_editable_reason": role.not_editable_reason,
    }
