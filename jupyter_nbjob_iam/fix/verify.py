"""Verify: check again after a fix, with bounded exponential backoff for IAM's eventual consistency.

IAM changes can take from seconds to a few minutes to apply everywhere. ``verify`` re-runs the check
until every statement the plan's writes added is ``ok`` or the time is up; it never sleeps past the
deadline, and it reports how many checks it made.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..aws.session import AwsSession
from ..constants import VERIFY_TIMEOUT
from ..errors import NbJobIamError

FIRST_DELAY = 1.0
MAX_DELAY = 20.0

CheckFn = Callable[[AwsSession], Any]


def report_json(report: Any) -> dict[str, Any]:
    return report.to_json() if hasattr(report, "to_json") else report


def default_check_fn(plan: dict[str, Any], engine: str = "auto") -> CheckFn:
    """``run_check`` with the plan's role, S3 folders and KMS keys, as the first check resolved them,
    and ``engine`` (imported lazily: check/ is another part)."""
    inputs = plan.get("inputs") if isinstance(plan.get("inputs"), dict) else {}

    def run(session: AwsSession) -> dict[str, Any]:
        from ..check import run_check

        if not inputs:  # a plan made before the check reported its inputs
            return report_json(
                run_check(session, role=plan.get("role_arn"), kms_key_arn=plan.get("kms_key_arn"), engine=engine)
            )
        return report_json(
            run_check(
                session,
                role=plan.get("role_arn"),
                engine=engine,
                output_kms_key=inputs.get("output_kms_key"),
                volume_kms_key=inputs.get("volume_kms_key"),
                s3_input=inputs.get("s3_input"),
                s3_output=inputs.get("s3_output"),
            )
        )

    return run


def not_ok(report: dict[str, Any], wanted: set[tuple[str, str]]) -> list[str]:
    """``target/sid`` of each wanted statement the report does not show as ``ok``."""
    statuses = {
        (t.get("target"), s.get("sid")): s.get("status")
        for t in report.get("targets") or []
        for s in t.get("statements") or []
    }
    return sorted(f"{t}/{sid}" for t, sid in wanted if statuses.get((t, sid)) != "ok")


def verify(
    session: AwsSession,
    check_fn: CheckFn,
    wanted: set[tuple[str, str]],
    *,
    timeout: float = VERIFY_TIMEOUT,
    first_delay: float = FIRST_DELAY,
    max_delay: float = MAX_DELAY,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """``{"verified", "verify_attempts", "report", "still_missing", "verify_error"}``."""
    deadline = clock() + max(0.0, timeout)
    delay = max(0.0, first_delay)
    attempts = 0
    report: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    missing: list[str] = sorted(f"{t}/{s}" for t, s in wanted)
    while True:
        attempts += 1
        try:
            report = report_json(check_fn(session))
            error = None
            missing = not_ok(report, wanted)
            if not missing:
                return {
                    "verified": True,
                    "verify_attempts": attempts,
                    "report": report,
                    "still_missing": [],
                    "verify_error": None,
                }
        except NbJobIamError as exc:  # a flaky re-check must not turn a landed fix into an error
            error = exc.to_json()
        remaining = deadline - clock()
        if remaining <= 0:
            break
        sleep(min(delay, remaining))
        delay = min(max(delay * 2, 0.05), max_delay)
    return {
        "verified": False,
        "verify_attempts": attempts,
        "report": report,
        "still_missing": missing,
        "verify_error": error,
    }
