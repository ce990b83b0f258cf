"""Account quotas from iam:GetAccountSummary, with AWS's defaults where the answer lacks a key."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

from jupyter_nbjob_iam.aws import QUOTA_DEFAULTS, AwsSession, SimRequest, get_quotas, simulate
from jupyter_nbjob_iam.errors import AccessDeniedError, AwsError

from .aws_helpers import ACCOUNT


def test_quotas_from_moto_match_the_documented_defaults(aws_env, iam):
    iam.create_user(UserName="alice")
    quotas = get_quotas(AwsSession())
    for key, value in QUOTA_DEFAULTS.items():
        assert quotas[key] == value, key
    assert quotas["Users"] == 1  # usage counts come along


def test_missing_quota_keys_get_defaults_and_live_values_win(aws_env):
    sess = AwsSession()
    with Stubber(sess.client("iam")) as stub:
        stub.add_response("get_account_summary", {"SummaryMap": {"UserPolicySizeQuota": 4096, "Users": 3}})
        quotas = get_quotas(sess)
    assert quotas["UserPolicySizeQuota"] == 4096
    assert quotas["RolePolicySizeQuota"] == 10240
    assert quotas["VersionsPerPolicyQuota"] == 5
    assert quotas["Users"] == 3


def test_refused_summary_is_access_denied(aws_env):
    sess = AwsSession()
    with Stubber(sess.client("iam")) as stub:
        stub.add_client_error(
            "get_account_summary",
            "AccessDenied",
            f"User: arn:aws:iam::{ACCOUNT}:user/a is not authorized to perform: iam:GetAccountSummary on resource: *",
            http_status_code=403,
        )
        with pytest.raises(AccessDeniedError) as info:
            get_quotas(sess)
    assert info.value.details["denied_action"] == "iam:GetAccountSummary"


def test_an_unreadable_answer_is_an_aws_error_not_a_crash(aws_env):
    # moto answers SimulatePrincipalPolicy with an HTML 500 page: botocore cannot parse it.
    with pytest.raises(AwsError) as info:
        simulate(AwsSession(max_attempts=1), f"arn:aws:iam::{ACCOUNT}:user/x", [SimRequest("s3:GetObject")])
    assert type(info.value) is AwsError
    assert info.value.details == {"aws_action": "iam:SimulatePrincipalPolicy"}
    assert "could not be read" in info.value.message
