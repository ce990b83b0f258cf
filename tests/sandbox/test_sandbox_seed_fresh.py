"""Seeding into a fresh moto account (``aws_env`` resets it): options and refusals."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from jupyter_nbjob_iam.errors import InputError
from jupyter_nbjob_iam.sandbox import seed
from jupyter_nbjob_iam.sandbox.seed import FULL_ACCESS_ARN


@pytest.fixture
def iam(aws_env):
    return boto3.client("iam", endpoint_url=aws_env, region_name="us-east-1")


@pytest.mark.managed_policies
def test_full_access_for_ada_on_request(aws_env, iam):
    account = seed(aws_env, "us-east-1", user_full_access=True)
    attached = [p["PolicyArn"] for p in iam.list_attached_user_policies(UserName="ada")["AttachedPolicies"]]
    assert FULL_ACCESS_ARN in attached
    assert account.user_arn in account.full_access_attached_to


def test_seeding_twice_fails_loudly(aws_env):
    seed(aws_env, "us-east-1")
    with pytest.raises(ClientError) as exc:
        seed(aws_env, "us-east-1")
    assert exc.value.response["Error"]["Code"] == "EntityAlreadyExists"


@pytest.mark.parametrize("url", ["https://iam.amazonaws.com", "", None])
def test_seed_refuses_anything_but_a_local_fake(url):
    with pytest.raises(InputError):
        seed(url)  # type: ignore[arg-type]
