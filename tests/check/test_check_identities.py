"""Every kind of identity the check meets: an IAM user with a path, an assumed role with a path
(mapped with iam:GetRole), an IAM Identity Center role, the root user and a federated user (moto
cannot produce the last two: botocore's Stubber answers GetCallerIdentity for them)."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.aws.identity import ROOT_WARNING
from jupyter_nbjob_iam.catalog import required_statements
from jupyter_nbjob_iam.check import run_check

from .check_helpers import ACCOUNT, BOTH, EVERYTHING, allow, doc

IDENTITY_SIDS = [s.sid for s in required_statements("identity")]
IAM_READS = {"ListUserPolicies", "ListAttachedUserPolicies", "ListGroupsForUser", "GetUser"}


def only_for(principal_arn: str) -> str:
    """A policy allowing sagemaker:Search only to exactly ``principal_arn`` (path included)."""
    return doc(allow("sagemaker:Search", condition={"ArnEquals": {"aws:PrincipalArn": principal_arn}}))


def test_user_with_a_path(ada):
    # Given ada at /notebook-users/, allowed Search only as her full ARN with its path
    arn = f"arn:aws:iam::{ACCOUNT}:user/notebook-users/ada"
    ada(inline={"Mine": only_for(arn)})
    # When checked
    report = run_check(AwsSession(), engine="local")
    # Then the identity is that user, editable, and the request carried her real ARN
    assert report.to_json()["identity"] == {
        "arn": arn,
        "kind": "user",
        "principal_arn": arn,
        "editable": True,
        "not_editable_reason": None,
    }
    assert report.target("identity").principal_arn == arn
    assert report.statuses()["identity"]["AllowSearch"] == "ok"
    assert report.account == ACCOUNT and report.region == "us-east-1"


def test_assumed_role_with_a_path_is_checked_as_the_role(make_role, assume, use_keys):
    # Given a session of the role /team/Scientist, allowed Search only as the role's ARN with its path
    arn = f"arn:aws:iam::{ACCOUNT}:role/team/Scientist"
    make_role("Scientist", path="/team/", inline={"Mine": only_for(arn)})
    use_keys(assume(arn))
    # When checked
    report = run_check(AwsSession(), engine="local")
    # Then the identity is the assumed role mapped to its real ARN, whose policies decided
    ident = report.to_json()["identity"]
    assert ident["kind"] == "assumed-role"
    assert ident["arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/Scientist/jupyter"
    assert ident["principal_arn"] == arn and ident["editable"] is True
    assert report.target("identity").principal_arn == arn
    assert report.statuses()["identity"]["AllowSearch"] == "ok"
    assert report.statuses()["identity"]["IAMListRoles"] == "missing"


def test_identity_center_role_is_read_but_not_editable(make_role, assume, use_keys):
    # Given a session of an IAM Identity Center role, allowed Search
    name = "AWSReservedSSO_DataScience_0123456789abcdef"
    arn = make_role(name, path="/aws-reserved/sso.amazonaws.com/", inline={"Ps": doc(allow("sagemaker:Search"))})
    use_keys(assume(arn))
    # When checked
    report = run_check(AwsSession(), engine="local")
    # Then its policies were read and checked, and it is not editable: the permission set is named
    ident = report.to_json()["identity"]
    assert (ident["kind"], ident["principal_arn"], ident["editable"]) == ("sso-role", arn, False)
    assert "DataScience" in ident["not_editable_reason"]
    assert report.statuses()["identity"]["AllowSearch"] == "ok"
    assert report.statuses()["identity"]["IAMListRoles"] == "missing"


def stubbed_caller(sess: AwsSession, arn: str, user_id: str) -> Stubber:
    stub = Stubber(sess.client("sts"))
    stub.add_response("get_caller_identity", {"UserId": user_id, "Account": ACCOUNT, "Arn": arn})
    stub.activate()
    return stub


@pytest.mark.parametrize("engine", ["local", "auto"])
def test_root_is_warned_its_own_statements_are_ok_and_the_role_is_still_checked(aws_env, make_role, engine, counter):
    # Given the root user (stubbed: moto has none) and a role that trusts SageMaker only
    role = make_role("Exec", services=("sagemaker.amazonaws.com",), inline={"All": EVERYTHING})
    sess = AwsSession()
    stub = stubbed_caller(sess, f"arn:aws:iam::{ACCOUNT}:root", ACCOUNT)
    calls = counter(sess)
    # When checked with that role
    report = run_check(sess, role=role, engine=engine)
    stub.assert_no_pending_responses()
    # Then root is warned about, its statements are ok ("root account"), no IAM read was made for it
    assert report.notes[0] == ROOT_WARNING
    assert report.to_json()["identity"]["kind"] == "root"
    assert report.statuses()["identity"] == dict.fromkeys(IDENTITY_SIDS, "ok")
    assert all("Root account" in s.detail for s in report.target("identity").statements)
    assert not IAM_READS & set(calls.calls)
    # And the role is checked as for anyone: its trust lacks EventBridge
    assert report.statuses()["trust"] == {"TrustRelationship": "missing"}
    assert report.statuses()["role"]["SagemakerJobs"] == "ok"
    assert not report.ok


def test_federated_user_cannot_be_checked_and_says_why(aws_env, make_role):
    # Given a federated user session (stubbed) and a complete role
    role = make_role("Exec", services=BOTH, inline={"All": EVERYTHING})
    sess = AwsSession()
    stubbed_caller(sess, f"arn:aws:sts::{ACCOUNT}:federated-user/bob", f"{ACCOUNT}:bob")
    # When checked
    report = run_check(sess, role=role, engine="local")
    # Then its own statements are unknown (the session policy cannot be read), the role is still ok
    assert report.statuses()["identity"] == dict.fromkeys(IDENTITY_SIDS, "unknown")
    assert "session policy" in report.target("identity").statements[0].detail
    assert report.to_json()["identity"]["editable"] is False
    assert set(report.statuses()["role"].values()) == {"ok"}
    assert not report.ok
