"""Account-wide IAM quotas (``iam:GetAccountSummary``), with AWS's documented defaults."""

from __future__ import annotations

from .session import AwsSession

# AWS's default quotas, used for keys the answer lacks (moto and older accounts omit some).
QUOTA_DEFAULTS: dict[str, int] = {
    "UserPolicySizeQuota": 2048,
    "RolePolicySizeQuota": 10240,
    "GroupPolicySizeQuota": 5120,
    "PolicySizeQuota": 6144,
    "AttachedPoliciesPerUserQuota": 10,
    "AttachedPoliciesPerRoleQuota": 10,
    "AttachedPoliciesPerGroupQuota": 10,
    "AssumeRolePolicySizeQuota": 2048,
    "VersionsPerPolicyQuota": 5,
}


def get_quotas(sess: AwsSession) -> dict[str, int]:
    """The account's ``SummaryMap`` (quotas and usage counts), defaults filled for missing quota
    keys. Raises ``AccessDeniedError`` when refused: callers may fall back to ``QUOTA_DEFAULTS``."""
    with sess.errors("iam:GetAccountSummary"):
        summary = sess.client("iam").get_account_summary().get("SummaryMap") or {}
    quotas = dict(QUOTA_DEFAULTS)
    for key, value in summary.items():
        try:
            quotas[key] = int(value)
        except (TypeError, ValueError):
            continue
    return quotas
