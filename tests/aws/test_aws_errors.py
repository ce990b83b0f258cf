"""Every botocore failure becomes the project's error, in plain words, without secrets."""

from __future__ import annotations

import json
import socket

import pytest
from botocore import exceptions as bce
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_nbjob_iam.aws import AwsSession, get_identity, parse_access_denied, scrub, translate
from jupyter_nbjob_iam.aws.errors import aws_errors
from jupyter_nbjob_iam.errors import (
    AccessDeniedError,
    AwsError,
    CredentialsError,
    EndpointError,
    InputError,
    NbJobIamError,
    NotFoundError,
)

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD" + "a1B2c3D4" * 20


def client_error(code: str, message: str = "", status: int = 400, op: str = "GetRole") -> bce.ClientError:
    return bce.ClientError(
        {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}, op
    )


@pytest.mark.parametrize(
    ("exc", "cls", "code"),
    [
        (bce.NoCredentialsError(), CredentialsError, "credentials"),
        (
            bce.PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"),
            CredentialsError,
            "credentials",
        ),
        (bce.UnauthorizedSSOTokenError(), CredentialsError, "sso_login_expired"),
        (bce.TokenRetrievalError(provider="sso", error_msg="expired"), CredentialsError, "sso_login_expired"),
        (bce.SSOTokenLoadError(error_msg="no token"), CredentialsError, "sso_login_expired"),
        (bce.CredentialRetrievalError(provider="custom-process", error_msg="exit 1"), CredentialsError, "credentials"),
        (bce.ProfileNotFound(profile="prod"), CredentialsError, "profile_not_found"),
        (bce.ConfigParseError(path="/home/x/.aws/config"), CredentialsError, "credentials"),
        (bce.InvalidConfigError(error_msg="sso_session corp not found"), CredentialsError, "credentials"),
        (bce.NoRegionError(), InputError, "invalid_input"),
        (bce.EndpointConnectionError(endpoint_url="https://iam.amazonaws.com/"), EndpointError, "endpoint_unreachable"),
        (bce.ConnectTimeoutError(endpoint_url="https://iam.amazonaws.com/"), EndpointError, "endpoint_unreachable"),
        (bce.ReadTimeoutError(endpoint_url="https://iam.amazonaws.com/"), EndpointError, "endpoint_unreachable"),
        (bce.ParamValidationError(report="bad RoleName"), InputError, "invalid_input"),
        (client_error("AccessDenied", status=403), AccessDeniedError, "access_denied"),
        (client_error("AccessDeniedException", status=400), AccessDeniedError, "access_denied"),
        (client_error("NoSuchEntity", "Role x not found", 404), NotFoundError, "not_found"),
        (client_error("Throttling", "Rate exceeded", 400), EndpointError, "endpoint_unreachable"),
        (client_error("ThrottlingException", "Rate exceeded", 400), EndpointError, "endpoint_unreachable"),
        (
            client_error("ExpiredToken", "The security token included in the request is expired", 403),
            CredentialsError,
            "credentials",
        ),
        (client_error("InvalidClientTokenId", status=403), CredentialsError, "credentials"),
        (client_error("SignatureDoesNotMatch", status=403), CredentialsError, "credentials"),
        (client_error("ServiceFailure", "boom", 500), EndpointError, "endpoint_unreachable"),
        (client_error("LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 10", 409), AwsError, "aws_error"),
        (
            client_error("UnmodifiableEntity", "Cannot perform the operation on the protected role", 400),
            AwsError,
            "aws_error",
        ),
        (ValueError("something else"), AwsError, "aws_error"),
    ],
)
def test_translation_table(exc, cls, code):
    err = translate(exc, action="iam:GetRole", profile="dev")
    assert type(err) is cls
    assert err.error_code == code
    assert err.message and err.message == str(err)
    assert json.loads(json.dumps(err.to_json()))["error_code"] == code
    if isinstance(exc, bce.ClientError):
        assert err.details["aws_error_code"] == exc.response["Error"]["Code"]
        assert err.details["aws_action"] == "iam:GetRole"


def test_sso_messages_name_the_command_with_the_profile():
    err = translate(bce.UnauthorizedSSOTokenError(), profile="work")
    assert "`aws sso login --profile work`" in err.message
    assert "`aws sso login`" in translate(bce.SSOTokenLoadError(error_msg="x")).message


def test_throttling_keeps_the_aws_code():
    err = translate(client_error("Throttling", "Rate exceeded"), action="iam:ListRoles")
    assert err.details["aws_error_code"] == "Throttling"
    assert "iam:ListRoles" in err.message


def test_unmodifiable_entity_keeps_code_and_message():
    err = translate(
        client_error(
            "UnmodifiableEntity",
            "Cannot perform the operation on the protected role 'AWSReservedSSO_x'",
            op="PutRolePolicy",
        ),
        action="iam:PutRolePolicy",
    )
    assert err.details["aws_error_code"] == "UnmodifiableEntity"
    assert "protected role" in err.message


def test_our_errors_pass_through():
    mine = InputError("bad")
    assert translate(mine) is mine


def test_aws_errors_context_manager_chains_the_cause():
    with pytest.raises(NotFoundError) as info, aws_errors("iam:GetRole"):
        raise client_error("NoSuchEntity", "Role x not found", 404)
    assert isinstance(info.value.__cause__, bce.ClientError)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "User: arn:aws:iam::123456789012:user/team/alice is not authorized to perform: iam:GetRole on "
            "resource: role Exec because no identity-based policy allows the iam:GetRole action",
            {
                "principal": "arn:aws:iam::123456789012:user/team/alice",
                "action": "iam:GetRole",
                "resource": "role Exec",
                "denied_by": "identity-policy",
                "explicit_deny": "false",
            },
        ),
        (
            "User: arn:aws:sts::123456789012:assumed-role/Dev/s is not authorized to perform: "
            "iam:PutRolePolicy on resource: arn:aws:iam::123456789012:role/service-role/Exec with an explicit "
            "deny in a service control policy",
            {
                "principal": "arn:aws:sts::123456789012:assumed-role/Dev/s",
                "action": "iam:PutRolePolicy",
                "resource": "arn:aws:iam::123456789012:role/service-role/Exec",
                "denied_by": "scp",
                "explicit_deny": "true",
            },
        ),
        (
            "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: s3:PutObject on resource: "
            '"arn:aws:s3:::b/k" with an explicit deny in a permissions boundary',
            {
                "action": "s3:PutObject",
                "resource": '"arn:aws:s3:::b/k"',
                "denied_by": "permissions-boundary",
                "explicit_deny": "true",
            },
        ),
        (  # moto's shape: no resource, no reason
            "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: iam:GetPolicy",
            {"principal": "arn:aws:iam::123456789012:user/reader", "action": "iam:GetPolicy"},
        ),
        ("Access Denied", {}),
        ("", {}),
    ],
)
def test_parse_access_denied(message, expected):
    parsed = parse_access_denied(message)
    for key, value in expected.items():
        assert parsed[key] == value
    if not expected:
        assert parsed == {}
    if "explicit_deny" not in expected and expected:
        assert "resource" not in parsed and "reason" not in parsed


def test_access_denied_message_names_action_resource_and_remedy():
    msg = (
        "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:GetRole on resource: "
        "role Exec because no identity-based policy allows the iam:GetRole action"
    )
    err = translate(client_error("AccessDenied", msg, 403), action="iam:GetRole")
    assert isinstance(err, AccessDeniedError)
    assert err.details["denied_action"] == "iam:GetRole"
    assert err.details["denied_resource"] == "role Exec"
    assert err.details["principal_arn"] == "arn:aws:iam::123456789012:user/alice"
    assert "administrator" in err.message
    scp = translate(
        client_error(
            "AccessDenied",
            msg.replace(
                "because no identity-based policy allows the iam:GetRole action",
                "with an explicit deny in a service control policy",
            ),
            403,
        )
    )
    assert "service control policy" in scp.message and scp.details["denied_by"] == "scp"


def _leaks(err: NbJobIamError, *secrets: str) -> bool:
    text = json.dumps(err.to_json()) + str(err) + repr(err.args)
    return any(s in text for s in secrets)


@pytest.mark.parametrize(
    "exc",
    [
        client_error(
            "SignatureDoesNotMatch",
            f"The request signature we calculated does not match. Key {KEY_ID} secret {SECRET}",
            403,
        ),
        client_error("InvalidClientTokenId", f"The security token {TOKEN} is invalid", 403),
        client_error(
            "AccessDenied",
            f"User: arn:aws:iam::123456789012:user/a is not authorized to perform: iam:GetRole on resource: {SECRET}",
            403,
        ),
        client_error("Weird", f"{KEY_ID}:{SECRET}:{TOKEN}", 400),
        bce.CredentialRetrievalError(provider="process", error_msg=f"printed {SECRET} and {TOKEN}"),
        bce.PartialCredentialsError(provider=f"env {KEY_ID}", cred_var=SECRET),
        RuntimeError(f"boom {KEY_ID} {SECRET} {TOKEN}"),
    ],
)
def test_no_secret_ever_appears_in_message_or_details(exc, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    err = translate(exc, action="iam:GetRole", profile="dev")
    assert not _leaks(err, SECRET, KEY_ID, TOKEN)


@settings(max_examples=200, deadline=None)
@given(
    secret=st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", min_size=40, max_size=40
    ).filter(
        lambda s: (
            sum(
                (
                    any(c.islower() for c in s),
                    any(c.isupper() for c in s),
                    any(c.isdigit() for c in s),
                    any(c in "+/" for c in s),
                )
            )
            >= 3
        )
    ),
    prefix=st.text(max_size=30),
)
def test_random_secret_keys_are_scrubbed(secret, prefix):
    # Real secret keys are 40 chars of mixed-case base64: any such run is removed.
    assert secret not in scrub(f"{prefix} {secret} trailing")


def test_scrub_keeps_arns_and_words():
    text = (
        "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20240101T000000 "
        "AWSReservedSSO_DataScientist_0123456789abcdef sagemaker-automated-execution-123456789012-us-east-1"
    )
    assert scrub(text) == text


def test_real_unreachable_endpoint_is_endpoint_error(aws_env, monkeypatch):
    # Given an endpoint nobody listens on
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    with pytest.raises(EndpointError) as info:
        get_identity(AwsSession(max_attempts=1))
    assert info.value.status == 502
    assert f"127.0.0.1:{port}" in info.value.message
    assert SECRET not in json.dumps(info.value.to_json())
