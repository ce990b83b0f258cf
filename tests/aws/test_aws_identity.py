"""Every identity kind, from sts:GetCallerIdentity over HTTP (moto) or the Stubber where moto
cannot produce the identity (root, federated users)."""

from __future__ import annotations

import json

import pytest
from botocore.stub import Stubber

from jupyter_nbjob_iam.aws import AwsSession, get_identity
from jupyter_nbjob_iam.errors import AwsError, CredentialsError

from .aws_helpers import ACCOUNT, policy


def test_user_with_path(aws_env, make_user, use_keys):
    # Given a user with a path, When its keys are used
    use_keys(make_user("alice", path="/team/data/"))
    ident = get_identity(AwsSession())
    # Then the user ARN keeps its path and the user is the principal
    assert ident.kind == "user"
    assert ident.arn == f"arn:aws:iam::{ACCOUNT}:user/team/data/alice"
    assert ident.principal_arn == ident.arn
    assert (ident.principal_type, ident.principal_name, ident.path) == ("user", "alice", "/team/data/")
    assert ident.account == ACCOUNT
    assert ident.editable is True and ident.not_editable_reason is None
    assert ident.warnings == ()


def test_assumed_role_is_mapped_to_the_real_role_arn_with_getrole(aws_env, assume, use_keys, counter):
    # Given a session of a role with a path (the session ARN drops the path)
    use_keys(assume("Exec", path="/service-role/", session="jupyter"))
    sess = AwsSession()
    calls = counter(sess, "iam")
    ident = get_identity(sess)
    # Then the principal is the role ARN read from iam:GetRole, path included
    assert ident.kind == "assumed-role"
    assert ident.arn == f"arn:aws:sts::{ACCOUNT}:assumed-role/Exec/jupyter"
    assert ident.principal_arn == f"arn:aws:iam::{ACCOUNT}:role/service-role/Exec"
    assert (ident.principal_type, ident.principal_name, ident.path) == ("role", "Exec", "/service-role/")
    assert ident.session_name == "jupyter"
    assert ident.editable is True
    assert calls.calls == {"GetRole": 1}


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("AWSReservedSSO_DataScientist_0123456789abcdef", "/aws-reserved/sso.amazonaws.com/"),
        ("AWSReservedSSO_DataScientist_0123456789abcdef", "/aws-reserved/sso.amazonaws.com/eu-west-1/"),
    ],
)
def test_sso_role_is_readable_not_writable_and_names_the_permission_set(aws_env, assume, use_keys, name, path):
    use_keys(assume(name, path=path, session="someone@example.com"))
    ident = get_identity(AwsSession())
    assert ident.kind == "sso-role"
    assert ident.principal_arn == f"arn:aws:iam::{ACCOUNT}:role{path}{name}"
    assert ident.principal_type == "role"
    assert ident.editable is False
    assert "permission set `DataScientist`" in ident.not_editable_reason


def test_sso_role_recognised_by_path_alone(aws_env, assume, use_keys):
    use_keys(assume("SomeImportedRole", path="/aws-reserved/sso.amazonaws.com/"))
    ident = get_identity(AwsSession())
    assert ident.kind == "sso-role" and ident.editable is False


def test_service_linked_role_is_never_writable(aws_env, assume, use_keys):
    use_keys(assume("AWSServiceRoleForSageMakerNotebooks", path="/aws-service-role/sagemaker.amazonaws.com/"))
    ident = get_identity(AwsSession())
    assert ident.kind == "service-linked-role"
    assert ident.principal_type == "role"
    assert ident.editable is False
    assert "service-linked" in ident.not_editable_reason


def test_refused_getrole_falls_back_and_says_so(aws_env, iam, sts, use_keys, moto_auth):
    # Given a role whose own policy allows GetCallerIdentity but not iam:GetRole
    role = iam.create_role(
        RoleName="Limited",
        Path="/team/",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]
    iam.put_role_policy(RoleName="Limited", PolicyName="p", PolicyDocument=policy("sts:GetCallerIdentity"))
    use_keys(sts.assume_role(RoleArn=role["Arn"], RoleSessionName="limited")["Credentials"])
    moto_auth()
    # When the identity is resolved
    ident = get_identity(AwsSession())
    # Then it is an assumed role whose path and editability are unknown, and a warning says why
    assert ident.kind == "assumed-role"
    assert ident.path is None
    assert ident.editable is None
    assert ident.principal_arn == f"arn:aws:iam::{ACCOUNT}:role/Limited"
    assert "iam:GetRole was refused" in ident.warnings[0]


def _stubbed_identity(arn: str, user_id: str = "AIDAEXAMPLE") -> object:
    sess = AwsSession()
    with Stubber(sess.client("sts")) as stub:
        stub.add_response("get_caller_identity", {"UserId": user_id, "Account": ACCOUNT, "Arn": arn})
        ident = get_identity(sess)
        stub.assert_no_pending_responses()
    return ident


def test_root_is_not_editable_and_warns(aws_env):
    ident = _stubbed_identity(f"arn:aws:iam::{ACCOUNT}:root", user_id=ACCOUNT)
    assert ident.kind == "root"
    assert ident.principal_arn is None and ident.principal_type is None
    assert ident.editable is False
    assert "root" in ident.warnings[0] and "IAM policies do not apply" in ident.warnings[0]


def test_federated_user(aws_env):
    ident = _stubbed_identity(f"arn:aws:sts::{ACCOUNT}:federated-user/bob", user_id=f"{ACCOUNT}:bob")
    assert ident.kind == "federated-user"
    assert ident.principal_name == "bob"
    assert ident.principal_arn is None and ident.principal_type is None
    assert ident.editable is False and "GetFederationToken" in ident.not_editable_reason


def test_gov_partition_identity_keeps_its_partition(aws_env):
    ident = _stubbed_identity(f"arn:aws-us-gov:iam::{ACCOUNT}:user/alice")
    assert (ident.kind, ident.partition, ident.principal_arn) == (
        "user",
        "aws-us-gov",
        f"arn:aws-us-gov:iam::{ACCOUNT}:user/alice",
    )


def test_unknown_identity_shape_is_an_aws_error(aws_env):
    with pytest.raises(AwsError) as info:
        _stubbed_identity(f"arn:aws:iam::{ACCOUNT}:group/admins")
    assert info.value.error_code == "unknown_identity"


def test_moto_default_keys_are_a_user(aws_env):
    # moto answers arn:aws:sts::ACCT:user/moto for keys it did not issue.
    ident = get_identity(AwsSession())
    assert ident.kind == "user"
    assert ident.principal_arn == f"arn:aws:iam::{ACCOUNT}:user/moto"


def test_no_credentials_is_a_credentials_error(aws_env, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(CredentialsError) as info:
        get_identity(AwsSession())
    assert info.value.status == 502
    assert "No AWS credentials" in info.value.message


def test_expired_sso_login_says_to_run_aws_sso_login_with_the_profile(aws_env, monkeypatch, tmp_path):
    # Given an SSO profile whose token cache is empty (never logged in, or expired and cleared)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    (tmp_path / "aws_config").write_text(
        "[profile work]\nsso_session = corp\nsso_account_id = 123456789012\n"
        "sso_role_name = DataScientist\nregion = us-east-1\n\n"
        "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
    )
    # When the identity is asked for
    with pytest.raises(CredentialsError) as info:
        get_identity(AwsSession(profile="work"))
    # Then the person is told the exact command to run
    assert "aws sso login --profile work" in info.value.message
    assert info.value.error_code == "sso_login_expired"


def test_keys_moto_does_not_know_are_rejected_as_credentials(aws_env, monkeypatch, moto_auth):
    moto_auth()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUNKNOWNKEY000000")
    with pytest.raises(CredentialsError) as info:
        get_identity(AwsSession())
    assert info.value.details["aws_error_code"] == "InvalidClientTokenId"
    assert "AKIAUNKNOWNKEY000000" not in json.dumps(info.value.to_json())


def test_identity_to_dict_is_json_ready(aws_env, make_user, use_keys):
    use_keys(make_user("carol"))
    out = get_identity(AwsSession()).to_dict()
    assert json.loads(json.dumps(out))["kind"] == "user"
    assert out["warnings"] == []
