"""The permission check: for this identity and execution role, which of the AWS guide's statements
are missing, statement by statement (see DESIGN.md "What missing means" and "Report").

```python
from jupyter_nbjob_iam.check import run_check, resolve_default_role
report = run_check(session, role="SagemakerJupyterSchedulerRole", kms_key_arn=None, engine="auto")
report.ok, report.to_json()
resolve_default_role(session)   # (role ARN or None, "scheduler_setting" | "role_name_prefix" | None)
```

A service: no tornado, no boto3 (AWS is reached through ``aws/``, policies evaluated by ``policy/``).
"""

from __future__ import annotations

from ..constants import ENGINES
from .default_role import resolve_default_role
from .report import (
    STATUSES,
    DecidedBy,
    IdentitySummary,
    Report,
    RoleSummary,
    StatementResult,
    TargetResult,
)
from .run import check, run_check

__all__ = [
    "ENGINES",
    "STATUSES",
    "DecidedBy",
    "IdentitySummary",
    "Report",
    "RoleSummary",
    "StatementResult",
    "TargetResult",
    "check",
    "resolve_default_role",
    "run_check",
]
