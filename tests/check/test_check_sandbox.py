"""The sandbox's demo account shows real gaps: ``run_check`` as its user finds exactly the statuses
``SEEDED_STATUSES`` / ``SEEDED_DETAILS`` promise, with the default engine (moto has no simulator, so
``auto`` falls back) and the local one."""

from __future__ import annotations

import pytest

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.check import run_check
from jupyter_nbjob_iam.sandbox import SEEDED_DETAILS, SEEDED_STATUSES, seed


def details(report) -> dict:
    out: dict = {}
    for target in report.to_json()["targets"]:
        for s in target["statements"]:
            if s["status"] == "partial":
                out.setdefault(target["target"], {})[s["sid"]] = {"missing_actions": s["missing_actions"]}
            elif s["status"] == "conditional":
                out.setdefault(target["target"], {})[s["sid"]] = {"unknown_keys": s["unknown_keys"]}
            elif target["target"] == "trust":
                out.setdefault("trust", {})[s["sid"]] = {"missing_services": s["missing_services"]}
    return out


@pytest.mark.parametrize("engine", ["auto", "local"])
def test_the_seeded_account_reports_the_promised_gaps(aws_env, use_keys, engine):
    # Given the sandbox's seeded account, signed in as its user ada
    account = seed(aws_env)
    use_keys({"AccessKeyId": account.access_key_id, "SecretAccessKey": account.secret_access_key})
    # When checked without a role (the scheduler's default is picked)
    report = run_check(AwsSession(), engine=engine)
    # Then every status and detail is the one the sandbox promises, for ada and her default role
    assert report.statuses() == SEEDED_STATUSES
    assert details(report) == SEEDED_DETAILS
    assert report.role.arn == account.role_arn
    assert report.engine == "local"
    assert not report.ok


@pytest.mark.managed_policies
def test_with_sagemaker_full_access_the_demo_still_has_gaps(aws_env, use_keys):
    # Given the seeded account where ada also has AmazonSageMakerFullAccess
    account = seed(aws_env, user_full_access=True)
    use_keys({"AccessKeyId": account.access_key_id, "SecretAccessKey": account.secret_access_key})
    # When checked
    report = run_check(AwsSession(), engine="local")
    # Then SageMaker itself is covered, but EventBridge, PassRole to events and the bucket set-up are not
    identity = report.statuses()["identity"]
    assert identity["SagemakerJobs"] == identity["SagemakerTags"] == identity["S3DriverAccess"] == "ok"
    assert (identity["EventBridgeSchedule"], identity["IAMPassrole"], identity["S3ArtifactsAccess"]) == (
        "missing",
        "partial",
        "partial",
    )
    s3 = next(s for s in report.target("identity").statements if s.sid == "S3ArtifactsAccess")
    assert s3.missing_actions == ("s3:PutEncryptionConfiguration", "s3:PutBucketVersioning")


def test_the_sandbox_key_alias_resolves_and_is_a_gap(aws_env, use_keys):
    # Given the seeded account, signed in as ada, who may describe the demo key but not use it
    account = seed(aws_env)
    use_keys({"AccessKeyId": account.access_key_id, "SecretAccessKey": account.secret_access_key})
    # When checked with the key's alias as the output key
    report = run_check(AwsSession(), engine="local", output_kms_key=account.kms_alias).to_json()
    # Then the alias resolves to the key's ARN, and its statement is partial: describing is all she may do
    assert report["inputs"]["output_kms_key"]["resolved_arn"] == account.kms_key_arn
    (kms,) = [t for t in report["targets"] if t["target"] == "kms"]
    assert kms["statements"][0]["status"] == "partial"
    assert "kms:DescribeKey" not in kms["statements"][0]["missing_actions"]
    assert "kms:GenerateDataKey" in kms["statements"][0]["missing_actions"]
    assert kms["statements"][0]["statement"]["Resource"] == account.kms_key_arn
