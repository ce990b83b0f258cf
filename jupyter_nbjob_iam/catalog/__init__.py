"""What the SageMaker notebook-job scheduler needs, as data (see docs/ARCHITECTURE.md, "catalog/").

```python
from jupyter_nbjob_iam.catalog import required_statements, trust_requirement, build_requests, Scope
required_statements("identity")          # 9 RequiredStatement, the guide's user policy
required_statements("role")              # 6: the guide's execution-role policy (5) + the scheduler's own
required_statements("kms", key_arn)      # 1, Sid "KmsKeyAccess", Resource = key_arn
trust_requirement()                      # TrustRequirement(sid="TrustRelationship", services=(...))
build_requests(stmt, Scope(account, region, principal_arn, role_arn, username, kms_key_arn))
```

Pure data and string building: no boto3, no I/O beyond reading the package's own JSON files.
"""

from __future__ import annotations

from .model import TARGETS, CheckRequest, RequiredStatement, Scope, TrustRequirement
from .requests import build_requests, passed_to_services
from .statements import guide_policy, required_statements, trust_requirement, validate_kms_key_arn

__all__ = [
    "TARGETS",
    "CheckRequest",
    "RequiredStatement",
    "Scope",
    "TrustRequirement",
    "build_requests",
    "guide_policy",
    "passed_to_services",
    "required_statements",
    "trust_requirement",
    "validate_kms_key_arn",
]
