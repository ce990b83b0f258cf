"""The service behind the REST API: one method per endpoint, plain dicts in and out.

Handlers stay thin (parse, call one method in the thread pool, write JSON); the CLI calls the same
check and fix functions. The class is configurable (traitlets) and swappable through
``NbJobIamApp.service_class``, so an administrator can tune it and tests can inject faults.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from traitlets import Float, Unicode
from traitlets.config import LoggingConfigurable

from . import __version__
from .aws import AwsSession, get_identity, list_roles, resolve_context
from .errors import InputError
from .models import CheckParams
from .scheduler_env import environment_json
from .scheduler_settings import read_scheduler_settings


class NbJobIamService(LoggingConfigurable):
    """Checks and fixes, for the REST API."""

    state_dir = Unicode(
        "",
        config=True,
        help="Where plans, backups and the apply journal are kept (default: Jupyter's data dir).",
    )
    verify_timeout = Float(120.0, config=True, help="Seconds to keep re-checking after a fix while IAM propagates.")

    def __init__(self, *, app: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._app = app
        self._store = None
        self._store_lock = threading.Lock()

    # -- configuration shared with the app -------------------------------------------------
    def _setting(self, name: str, default: Any = None) -> Any:
        return getattr(self._app, name, default) if self._app is not None else default

    @property
    def inline_policy_name(self) -> str:
        return self._setting("inline_policy_name") or "SageMakerNotebookJobs"

    def session(self, profile: str | None = None, region: str | None = None) -> AwsSession:
        return AwsSession(
            profile=profile or self._setting("default_profile"),
            region=region or self._setting("default_region"),
        )

    @property
    def store(self):
        from .fix import PlanStore

        with self._store_lock:
            if self._store is None:
                directory = self.state_dir or self._setting("backup_dir") or None
                self._store = PlanStore(Path(directory) if directory else None)
            return self._store

    # -- endpoints ------------------------------------------------------------------------
    def context(self, profile: str | None = None) -> dict[str, Any]:
        context = resolve_context(profile=profile or self._setting("default_profile"))
        region = self._setting("default_region")
        if region:
            context["region"], context["region_source"] = region, "server configuration"
        saved = read_scheduler_settings()
        context["scheduler"] = {"role_arn": saved.role_arn}
        context["scheduler_settings"] = saved.to_json()
        context["environment"] = environment_json()
        context["settings"] = {"inline_policy_name": self.inline_policy_name}
        context["version"] = __version__
        return context

    def identity(self, profile: str | None = None, region: str | None = None) -> dict[str, Any]:
        return get_identity(self.session(profile, region)).to_dict()

    def roles(self, profile: str | None = None, region: str | None = None) -> dict[str, Any]:
        from .check import resolve_default_role

        session = self.session(profile, region)
        roles = list_roles(session)
        default_arn, source = resolve_default_role(session, roles=roles)
        ordered = sorted(roles, key=lambda r: (not r.trusts_sagemaker, r.name.lower()))
        return {
            "roles": [_role_summary(r) for r in ordered],
            "default_role_arn": default_arn,
            "default_role_source": source,
        }

    def _report(self, params: CheckParams) -> tuple[AwsSession, dict[str, Any]]:
        from .check import run_check

        session = self.session(params.profile, params.region)
        try:
            report = run_check(
                session,
                role=params.role_arn,
                kms_key_arn=params.kms_key_arn,
                engine=params.engine,
                output_kms_key=params.output_kms_key,
                volume_kms_key=params.volume_kms_key,
                s3_input=params.s3_input,
                s3_output=params.s3_output,
            )
        except InputError as exc:
            if exc.details.get("field") == "role":  # the check's word; the request's field is role_arn
                exc.details["field"] = "role_arn"
            raise
        return session, report.to_json()

    def check(self, params: CheckParams) -> dict[str, Any]:
        return self._report(params)[1]

    def plan(self, params: CheckParams) -> dict[str, Any]:
        from .fix import make_plan

        session, report = self._report(params)
        return make_plan(
            session,
            report,
            policy_name=params.policy_name or self.inline_policy_name,
            store=self.store,
        )

    def apply(self, plan_id: str) -> dict[str, Any]:
        from .fix import apply_plan

        plan = self.store.load_plan(plan_id)
        session = self.session(plan.get("profile"), plan.get("region"))
        return apply_plan(session, plan_id, store=self.store, verify_timeout=self.verify_timeout)

    def undo(self, backup_id: str) -> dict[str, Any]:
        from .fix import undo

        backup = self.store.load_backup(backup_id)
        session = self.session(backup.get("profile"), backup.get("region"))
        return undo(session, backup_id, store=self.store)


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
