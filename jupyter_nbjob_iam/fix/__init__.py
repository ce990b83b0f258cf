"""Fix: plan, apply, verify and undo the IAM changes SageMaker notebook jobs need.

```python
from jupyter_nbjob_iam.fix import PlanStore, make_plan, apply_plan, undo
store = PlanStore()                                   # NBJOB_IAM_STATE_DIR or <jupyter data dir>/nbjob_iam
plan = make_plan(session, report_json, policy_name="SageMakerNotebookJobs", store=store)   # reads only
result = apply_plan(session, plan["plan_id"], store=store, verify=True, verify_timeout=120)
undo(session, result["backup_id"], store=store)
```

The JSON shapes are docs/API.md's "plan", "apply result" and "undo result". The rules (what is added
where, the same-Sid rule, how sizes are counted) are in ``plan.py``, ``merge.py`` and ``sizes.py``.
"""

from __future__ import annotations

from .apply import apply_plan
from .merge import merge_statements, merge_trust
from .plan import fixed_statements, make_plan, validate_policy_name
from .planner import DEFAULT_POLICY_NAME, compute_writes
from .sizes import aggregate_size, policy_size
from .store import STATE_DIR_ENV, PlanStore, default_state_dir
from .undo import undo
from .verify import VERIFY_TIMEOUT, verify

__all__ = [
    "DEFAULT_POLICY_NAME",
    "STATE_DIR_ENV",
    "VERIFY_TIMEOUT",
    "PlanStore",
    "aggregate_size",
    "apply_plan",
    "compute_writes",
    "default_state_dir",
    "fixed_statements",
    "make_plan",
    "merge_statements",
    "merge_trust",
    "policy_size",
    "undo",
    "validate_policy_name",
    "verify",
]
