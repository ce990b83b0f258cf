"""How IAM measures a policy against its size quotas.

AWS's "IAM and AWS STS quotas" page: the inline policies of a user (2,048 characters), role (10,240) or
group (5,120) count *together*; a managed policy may have 6,144 and a trust policy 2,048; and "IAM
doesn't count white space when calculating the size of a policy against these quotas".

The rule used here: the number of characters of the document's compact JSON (no whitespace between
tokens, non-ASCII kept as one character, which is how ``aws/writes.py`` sends it). Whitespace *inside*
string values is still counted: AWS does not say whether it is, and counting it can only make the
estimate larger, so a policy that fits here fits in IAM. (IAM's own policy strings rarely hold any.)
The live quotas come from ``iam:GetAccountSummary`` (``aws.get_quotas``); the defaults below apply only
when the account summary could not be read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

INLINE_QUOTA_KEYS = {"user": "UserPolicySizeQuota", "role": "RolePolicySizeQuota", "group": "GroupPolicySizeQuota"}
ATTACHED_QUOTA_KEYS = {"user": "AttachedPoliciesPerUserQuota", "role": "AttachedPoliciesPerRoleQuota"}
MANAGED_QUOTA_KEY = "PolicySizeQuota"
TRUST_QUOTA_KEY = "AssumeRolePolicySizeQuota"
VERSIONS_QUOTA_KEY = "VersionsPerPolicyQuota"


def policy_size(document: Any) -> int:
    """Characters IAM counts for one policy document (dict, or JSON text); 0 for None."""
    if document is None:
        return 0
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return sum(1 for ch in document if not ch.isspace())
    return len(json.dumps(document, separators=(",", ":"), ensure_ascii=False))


def aggregate_size(documents: Iterable[Any]) -> int:
    """The total of several inline policies, as IAM adds them up for one principal."""
    return sum(policy_size(d) for d in documents)
