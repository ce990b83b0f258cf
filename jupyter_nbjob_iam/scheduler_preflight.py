"""Optional, off by default: refuse a SageMaker scheduler create request that would fail for
permissions, before anything is uploaded.

The SageMaker scheduler (amazon-sagemaker-jupyter-scheduler) checks no permission in advance: an
AccessDenied surfaces after the notebook was uploaded, as a raw AWS error. With this pre-flight,
"Run now" and "Create job definition" first run this project's check with the exact role, S3 folders
and KMS keys of the request; when a statement the job needs is missing, partial or denied, the request
is refused with a message naming the gaps and the way to fix them. Nothing else changes: listing,
pausing, deleting and downloading go straight to the scheduler. When the check itself cannot run
(no credentials, AWS unreachable, policies unreadable), the request goes ahead and the reason is
logged: the pre-flight never blocks on its own failure.

Enable it in ``jupyter_server_config.py`` (the scheduler must be installed; this module imports it):

    c.SchedulerApp.scheduler_class = "jupyter_nbjob_iam.scheduler_preflight.PreflightSageMakerScheduler"
"""

from __future__ import annotations

import asyncio
from typing import Any

from amazon_sagemaker_jupyter_scheduler.scheduler import SageMakerScheduler
from jupyter_scheduler.exceptions import SchedulerError

from .errors import NbJobIamError
from .models import CheckParams
from .service import NbJobIamService

BLOCKING = frozenset({"missing", "partial", "denied"})
TARGET_WORDS = {"identity": "you", "trust": "the role's trust", "role": "the execution role", "kms": "the KMS key"}


def check_params(runtime_parameters: dict[str, Any]) -> CheckParams:
    """The scheduler's runtime environment parameters -> the check's inputs (empty strings: unset)."""

    def value(key: str) -> str | None:
        v = runtime_parameters.get(key)
        return v.strip() or None if isinstance(v, str) else None

    return CheckParams(
        role_arn=value("role_arn"),
        s3_input=value("s3_input"),
        s3_output=value("s3_output"),
        output_kms_key=value("sm_output_kms_key"),
        volume_kms_key=value("sm_volume_kms_key"),
    )


def blocking_gaps(report: dict[str, Any]) -> list[str]:
    """``"<sid> (<whose>)"`` for each statement the job needs that is missing, partial or denied."""
    gaps = []
    for target in report.get("targets", []):
        for st in target.get("statements", []):
            if st.get("status") in BLOCKING and not st.get("legacy"):
                gaps.append(f"{st['sid']} ({TARGET_WORDS.get(target.get('target'), target.get('target'))})")
    return gaps


def refusal(gaps: list[str]) -> str:
    return (
        "Not scheduled: this notebook job would fail for missing permissions, so nothing was uploaded. "
        f"Missing: {', '.join(gaps)}. Open 'Notebook job permissions' and choose Fix permissions, "
        "or run `jupyter nbjob-iam fix`, then create the job again."
    )


class PreflightSageMakerScheduler(SageMakerScheduler):
    """The SageMaker scheduler, with this project's check before each create (see module docstring)."""

    def _service(self) -> NbJobIamService:
        service = getattr(self, "_nbjob_iam_service", None)
        if service is None:
            service = self._nbjob_iam_service = NbJobIamService(parent=self)
        return service

    async def _preflight(self, runtime_parameters: dict[str, Any]) -> None:
        params = check_params(runtime_parameters or {})
        try:
            report = await asyncio.to_thread(self._service().check, params)
        except NbJobIamError as exc:
            self.log.warning("nbjob-iam pre-flight could not check (%s): the request goes ahead", exc)
            return
        gaps = blocking_gaps(report)
        if gaps:
            self.log.info("nbjob-iam pre-flight refused a create: %s", ", ".join(gaps))
            raise SchedulerError(refusal(gaps))

    async def create_job(self, model: Any, *args: Any, **kwargs: Any) -> str:
        await self._preflight(model.runtime_environment_parameters)
        return await super().create_job(model, *args, **kwargs)

    async def create_job_definition(self, model: Any, *args: Any, **kwargs: Any) -> str:
        await self._preflight(model.runtime_environment_parameters)
        return await super().create_job_definition(model, *args, **kwargs)
