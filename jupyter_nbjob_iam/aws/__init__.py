"""Everything that talks to AWS: the only package importing boto3/botocore.

Every botocore failure leaves this package as an ``NbJobIamError`` (see ``aws/errors.py``).
"""

from __future__ import annotations

from .account import QUOTA_DEFAULTS, get_quotas
from .arns import Arn, PrincipalArn, parse_arn, parse_iam_principal_arn
from .errors import aws_errors, parse_access_denied, scrub, translate
from .identity import Identity, get_identity, identity_from_caller
from .policies import PolicyDoc, PrincipalPolicies, RefusedCall, read_policies
from .roles import Role, classify_role, decode_document, get_role, list_roles, trusts_service
from .session import (
    SCHEDULER_DEFAULT_REGION,
    AwsSession,
    default_profile,
    list_profiles,
    partition_for_region,
    resolve_context,
    resolve_region,
)
from .simulator import SimDecision, SimRequest, SimStatement, context_entries, simulate
from .writes import (
    attach_policy,
    create_managed_policy,
    create_policy_version,
    delete_inline_policy,
    delete_managed_policy,
    delete_policy_version,
    detach_policy,
    get_inline_policy,
    get_managed_policy,
    get_trust_policy,
    list_attached_policy_arns,
    list_policy_versions,
    put_inline_policy,
    read_inline_policies,
    set_default_policy_version,
    update_trust_policy,
)

__all__ = [
    "QUOTA_DEFAULTS",
    "SCHEDULER_DEFAULT_REGION",
    "Arn",
    "AwsSession",
    "Identity",
    "PolicyDoc",
    "PrincipalArn",
    "PrincipalPolicies",
    "RefusedCall",
    "Role",
    "SimDecision",
    "SimRequest",
    "SimStatement",
    "attach_policy",
    "aws_errors",
    "classify_role",
    "context_entries",
    "create_managed_policy",
    "create_policy_version",
    "decode_document",
    "default_profile",
    "delete_inline_policy",
    "delete_managed_policy",
    "delete_policy_version",
    "detach_policy",
    "get_identity",
    "get_inline_policy",
    "get_managed_policy",
    "get_quotas",
    "get_role",
    "get_trust_policy",
    "identity_from_caller",
    "list_attached_policy_arns",
    "list_policy_versions",
    "list_profiles",
    "list_roles",
    "parse_access_denied",
    "parse_arn",
    "parse_iam_principal_arn",
    "partition_for_region",
    "put_inline_policy",
    "read_inline_policies",
    "read_policies",
    "resolve_context",
    "resolve_region",
    "scrub",
    "set_default_policy_version",
    "simulate",
    "translate",
    "trusts_service",
    "update_trust_policy",
]
