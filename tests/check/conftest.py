"""Fixtures for the check tests: a moto account over HTTP (``aws_env``), principals made in it,
and an AWS call counter (``iam``, ``use_keys`` and ``moto_auth`` come from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from jupyter_nbjob_iam.aws import AwsSession

from ..call_counter import CallCounter
from .check_helpers import trust


@pytest.fixture
def counter() -> Callable[..., Any]:
    """``counter(sess, delay=0.0)``: count the IAM and STS calls of ``sess`` (``.calls``, ``.params``,
    ``.total``, ``.max_in_flight``), each delayed by ``delay`` seconds."""

    def make(sess: AwsSession, delay: float = 0.0) -> Any:
        calls = CallCounter(delay)
        for service in ("iam", "sts"):
            calls.attach(sess.client(service))
        return calls

    return make


@pytest.fixture(autouse=True)
def _no_scheduler_setting(monkeypatch, tmp_path) -> None:
    """An empty JupyterLab settings directory: the developer's own scheduler setting never leaks in."""
    settings = tmp_path / "lab-user-settings"
    settings.mkdir()
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(settings))


@pytest.fixture
def managed(iam) -> Callable[[str, str], str]:
    """Create a customer managed policy; return its ARN."""

    def make(name: str, document: str) -> str:
        return iam.create_policy(PolicyName=name, PolicyDocument=document)["Policy"]["Arn"]

    return make


@pytest.fixture
def make_user(iam) -> Callable[..., dict[str, str]]:
    """Create a user with inline policies (``{name: document}``), attached managed policy ARNs and
    groups; return its access key."""

    def make(
        name: str = "ada",
        path: str = "/",
        inline: dict[str, str] | None = None,
        attached: list[str] = (),
        groups: list[str] = (),
    ) -> dict[str, str]:
        iam.create_user(UserName=name, Path=path)
        for policy_name, document in (inline or {}).items():
            iam.put_user_policy(UserName=name, PolicyName=policy_name, PolicyDocument=document)
        for arn in attached:
            iam.attach_user_policy(UserName=name, PolicyArn=arn)
        for group in groups:
            iam.add_user_to_group(GroupName=group, UserName=name)
        return iam.create_access_key(UserName=name)["AccessKey"]

    return make


@pytest.fixture
def make_role(iam) -> Callable[..., str]:
    """Create a role (trusting the given services and the account root); return its ARN."""

    def make(
        name: str,
        path: str = "/",
        services: tuple[str, ...] = (),
        inline: dict[str, str] | None = None,
        attached: list[str] = (),
        boundary: str | None = None,
        trust_policy: str | None = None,
    ) -> str:
        extra = {"PermissionsBoundary": boundary} if boundary else {}
        arn = iam.create_role(
            RoleName=name, Path=path, AssumeRolePolicyDocument=trust_policy or trust(*services), **extra
        )["Role"]["Arn"]
        for policy_name, document in (inline or {}).items():
            iam.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=document)
        for policy_arn in attached:
            iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
        return arn

    return make


@pytest.fixture
def assume(aws_env) -> Callable[[str], dict[str, str]]:
    """Credentials of a session of an existing role (its trust policy must allow the account)."""

    def make(role_arn: str, session: str = "jupyter") -> dict[str, str]:
        return boto3.client("sts").assume_role(RoleArn=role_arn, RoleSessionName=session)["Credentials"]

    return make


@pytest.fixture
def ada(make_user, use_keys) -> Callable[..., None]:
    """Sign in as a user ``ada`` at ``/notebook-users/`` with the given policies."""

    def make(**kwargs: Any) -> None:
        kwargs.setdefault("path", "/notebook-users/")
        use_keys(make_user("ada", **kwargs))

    return make
