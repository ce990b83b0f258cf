"""Role lookup by name and ARN, ARN validation, unknown roles, trust flags, editability, listing."""

from __future__ import annotations

import json

import pytest

from jupyter_nbjob_iam.aws import AwsSession, get_role, list_roles, trusts_service
from jupyter_nbjob_iam.errors import InputError, NotFoundError

from .aws_helpers import ACCOUNT, TRUST_BOTH_AND_ACCOUNT, TRUST_SAGEMAKER


@pytest.fixture
def exec_role(iam):
    return iam.create_role(
        RoleName="AmazonSageMaker-ExecutionRole-20240101T000000",
        Path="/service-role/",
        AssumeRolePolicyDocument=json.dumps(TRUST_SAGEMAKER),
        PermissionsBoundary=f"arn:aws:iam::{ACCOUNT}:policy/Boundary",
    )["Role"]


def test_get_role_by_name(aws_env, exec_role):
    role = get_role(AwsSession(), "AmazonSageMaker-ExecutionRole-20240101T000000")
    assert role.arn == f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole-20240101T000000"
    assert role.path == "/service-role/"
    assert role.name == "AmazonSageMaker-ExecutionRole-20240101T000000"
    assert role.trust_policy == TRUST_SAGEMAKER
    assert role.boundary_arn == f"arn:aws:iam::{ACCOUNT}:policy/Boundary"
    assert (role.trusts_sagemaker, role.trusts_events) == (True, False)
    assert role.editable is True and role.not_editable_reason is None
    assert role.kind == "role" and role.account == ACCOUNT


def test_get_role_by_arn_with_path(aws_env, exec_role):
    role = get_role(AwsSession(), f"  {exec_role['Arn']}  ")
    assert role.arn == exec_role["Arn"]


def test_role_trusting_both_services(aws_env, iam):
    iam.create_role(
        RoleName="SagemakerJupyterSchedulerRole", AssumeRolePolicyDocument=json.dumps(TRUST_BOTH_AND_ACCOUNT)
    )
    role = get_role(AwsSession(), "SagemakerJupyterSchedulerRole")
    assert (role.trusts_sagemaker, role.trusts_events) == (True, True)


def test_unknown_role_is_404(aws_env):
    with pytest.raises(NotFoundError) as info:
        get_role(AwsSession(), "NoSuchRole")
    err = info.value
    assert (err.status, err.error_code) == (404, "role_not_found")
    assert err.details["aws_error_code"] == "NoSuchEntity"
    assert "NoSuchRole" in err.message


def test_unknown_role_by_arn_is_404(aws_env):
    with pytest.raises(NotFoundError):
        get_role(AwsSession(), f"arn:aws:iam::{ACCOUNT}:role/NoSuchRole")


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("", "Give an execution role"),
        ("arn:aws:iam::123456789012", "is not an ARN"),
        ("arn:aws:s3:::my-bucket", "s3 service"),
        (f"arn:aws:sts::{ACCOUNT}:assumed-role/Exec/session", "session of the role"),
        (f"arn:aws:iam::{ACCOUNT}:user/alice", "IAM user ARN, not an IAM role ARN"),
        (f"arn:aws:iam::{ACCOUNT}:policy/Exec", "IAM policy ARN"),
        (f"arn:aws:iam::{ACCOUNT}:role", "IAM role ARN, not"),
        (f"arn:aws:iam:us-east-1:{ACCOUNT}:role/Exec", "has a region"),
        ("arn:aws:iam::12345:role/Exec", "12-digit"),
        (f"arn:aws-moon:iam::{ACCOUNT}:role/Exec", "unknown AWS partition"),
        (f"arn:aws:iam::{ACCOUNT}:role/bad name", "valid role name"),
        ("service-role/Exec", "neither a role name"),
        ("x" * 65, "neither a role name"),
        ("Exec;rm", "neither a role name"),
    ],
)
def test_malformed_role_input_is_400_naming_the_problem(aws_env, value, fragment):
    with pytest.raises(InputError) as info:
        get_role(AwsSession(), value)
    assert info.value.status == 400
    assert fragment in info.value.message


def test_role_arn_of_another_partition_is_input_error(aws_env, exec_role):
    with pytest.raises(InputError, match="'aws-cn' partition"):
        get_role(AwsSession(), f"arn:aws-cn:iam::{ACCOUNT}:role/Exec")


def test_role_arn_of_another_account_is_input_error(aws_env, exec_role):
    with pytest.raises(InputError) as info:
        get_role(AwsSession(), "arn:aws:iam::210987654321:role/service-role/Exec")
    assert info.value.error_code == "role_in_other_account"
    assert info.value.details["account"] == ACCOUNT


def test_role_arn_with_the_wrong_path_points_to_the_real_arn(aws_env, exec_role):
    name = exec_role["RoleName"]
    with pytest.raises(InputError) as info:
        get_role(AwsSession(), f"arn:aws:iam::{ACCOUNT}:role/{name}")
    assert info.value.error_code == "role_arn_mismatch"
    assert info.value.details["actual_arn"] == exec_role["Arn"]


@pytest.mark.parametrize(
    ("name", "path", "kind"),
    [
        ("AWSReservedSSO_Admin_abc123", "/aws-reserved/sso.amazonaws.com/", "sso-role"),
        (
            "AWSServiceRoleForAmazonSageMakerNotebooks",
            "/aws-service-role/sagemaker.amazonaws.com/",
            "service-linked-role",
        ),
    ],
)
def test_sso_and_service_linked_roles_are_not_editable(aws_env, iam, name, path, kind):
    iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument=json.dumps(TRUST_SAGEMAKER))
    role = get_role(AwsSession(), name)
    assert role.kind == kind
    assert role.editable is False
    assert role.not_editable_reason


def test_list_roles_paginates(aws_env, iam, counter):
    # Given more roles than one ListRoles page (100)
    for i in range(105):
        iam.create_role(RoleName=f"Role{i:03d}", AssumeRolePolicyDocument=json.dumps(TRUST_SAGEMAKER))
    sess = AwsSession()
    calls = counter(sess)
    roles = list_roles(sess)
    assert len(roles) == 105
    assert calls.calls["ListRoles"] == 2
    assert all(r.trusts_sagemaker and not r.trusts_events for r in roles)
    assert roles[0].to_dict()["trust_policy"] == TRUST_SAGEMAKER


def _trust(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


ALLOW_SM = {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (_trust(ALLOW_SM), True),
        (json.dumps(_trust(ALLOW_SM)), True),  # a JSON string
        (
            "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C"
            "%22Principal%22%3A%7B%22Service%22%3A%22sagemaker.amazonaws.com%22%7D%2C%22Action%22%3A%22sts"
            "%3AAssumeRole%22%7D%5D%7D",
            True,
        ),  # URL-encoded, as IAM sends it on the wire
        (_trust({**ALLOW_SM, "Action": ["sts:TagSession", "STS:ASSUMEROLE"]}), True),
        (
            _trust(
                {
                    **ALLOW_SM,
                    "Statement": None,
                    "Principal": {"Service": ["events.amazonaws.com", "sagemaker.amazonaws.com"]},
                }
            ),
            True,
        ),
        (_trust({**ALLOW_SM, "Action": "sts:AssumeRoleWithWebIdentity"}), False),
        (_trust({**ALLOW_SM, "Principal": {"Service": "events.amazonaws.com"}}), False),
        (_trust({**ALLOW_SM, "Principal": {"AWS": "arn:aws:iam::123456789012:root"}}), False),
        (_trust({**ALLOW_SM, "Principal": "*"}), True),
        (_trust(ALLOW_SM, {**ALLOW_SM, "Effect": "Deny"}), False),
        (_trust({**ALLOW_SM, "Effect": "Deny"}), False),
        ({"Statement": ALLOW_SM}, True),  # a single statement, not a list
        ("not json", False),
        ({}, False),
    ],
)
def test_trusts_service(doc, expected):
    assert trusts_service(doc, "sagemaker.amazonaws.com") is expected
