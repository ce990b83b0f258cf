"""Fixtures for the aws/ integration tests: scene-setting clients, seeded principals, moto's
request authorization, and a counter of the AWS calls a piece of code makes."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from jupyter_nbjob_iam.aws import AwsSession

from ..call_counter import CallCounter
from .aws_helpers import TRUST_BOTH_AND_ACCOUNT


@pytest.fixture
def make_user(iam) -> Callable[..., dict[str, str]]:
    """Create a user (optionally with a path and an inline policy); return its access key."""

    def make(name: str, path: str = "/", inline: str | None = None) -> dict[str, str]:
        iam.create_user(UserName=name, Path=path)
        if inline:
            iam.put_user_policy(UserName=name, PolicyName=f"{name}-inline", PolicyDocument=inline)
        return iam.create_access_key(UserName=name)["AccessKey"]

    return make


@pytest.fixture
def assume(sts, iam) -> Callable[..., dict[str, str]]:
    """Create a role assumable by the account and return credentials of a session of it."""

    def make(name: str, path: str = "/", session: str = "sess") -> dict[str, str]:
        role = iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument=json.dumps(TRUST_BOTH_AND_ACCOUNT))[
            "Role"
        ]
        return sts.assume_role(RoleArn=role["Arn"], RoleSessionName=session)["Credentials"]

    return make


@pytest.fixture
def counter() -> Callable[..., CallCounter]:
    def make(sess: AwsSession, service: str = "iam", delay: float = 0.0) -> CallCounter:
        return CallCounter(delay).attach(sess.client(service))

    return make
