"""AWS managed policies (moto's copies, loaded only for these tests): AdministratorAccess covers
everything; AmazonSageMakerFullAccess alone leaves EventBridge, PassRole to EventBridge and the S3
bucket configuration missing."""

from __future__ import annotations

import pytest

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.catalog import required_statements
from jupyter_nbjob_iam.check import run_check

from .check_helpers import BOTH

pytestmark = pytest.mark.managed_policies

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
FULL = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"


def test_administrator_access_makes_everything_ok(ada, make_role):
    # Given ada and a role trusting both services, each with AdministratorAccess attached
    role = make_role("Exec", services=BOTH, attached=[ADMIN])
    ada(attached=[ADMIN])
    # When checked
    report = run_check(AwsSession(), role=role, engine="local")
    # Then every statement is ok, decided by the managed policy
    assert report.ok
    assert report.statuses() == {
        "identity": {s.sid: "ok" for s in required_statements("identity")},
        "trust": {"TrustRelationship": "ok"},
        "role": {s.sid: "ok" for s in required_statements("role")},
    }
    decided = report.target("role").statements[0].decided_by[0]
    assert (decided.policy, decided.source) == ("AdministratorAccess", "managed")


def test_sagemaker_full_access_alone_leaves_real_gaps(ada, make_role):
    # Given ada and her role, each with only AmazonSageMakerFullAccess
    role = make_role("Exec", services=BOTH, attached=[FULL])
    ada(attached=[FULL])
    # When checked
    report = run_check(AwsSession(), role=role, engine="local")
    # Then EventBridge, PassRole to EventBridge and the bucket's encryption/versioning are missing
    assert report.statuses()["identity"] == {
        "EventBridgeSchedule": "missing",
        "IAMPassrole": "partial",
        "IAMListRoles": "ok",
        "S3ArtifactsAccess": "partial",
        "S3DriverAccess": "ok",
        "SagemakerJobs": "ok",
        "AllowSearch": "ok",
        "SagemakerTags": "ok",
        "ECRImage": "ok",
    }
    statements = {s.sid: s for s in report.target("identity").statements}
    assert statements["IAMPassrole"].missing_services == ("events.amazonaws.com",)
    assert statements["S3ArtifactsAccess"].missing_actions == (
        "s3:PutEncryptionConfiguration",
        "s3:PutBucketVersioning",
        "s3:GetEncryptionConfiguration",
    )
    # And what the job's role needs is all there
    assert set(report.statuses()["role"].values()) == {"ok"}
    assert not report.ok
