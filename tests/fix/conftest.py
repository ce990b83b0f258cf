"""Fixtures for the fix tests: the moto account over HTTP (``aws_env`` from tests/conftest.py),
principals made in it, a store in a temporary directory, and moto's request authorization."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from fixhelp import TRUST_SAGEMAKER, text

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.aws import writes as aws_writes
from jupyter_nbjob_iam.fix import PlanStore


@pytest.fixture(autouse=True)
def _fast_and_isolated(monkeypatch, tmp_path) -> None:
    """No AWS managed policies in moto (1.5 s a reset), no scheduler setting of the developer's, and
    ConcurrentModification retries without real waiting."""
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "false")
    settings = tmp_path / "lab-user-settings"
    settings.mkdir()
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(settings))
    monkeypatch.setattr(aws_writes, "RETRY_DELAYS", (0.01, 0.01, 0.01))


@pytest.fixture
def iam(aws_env) -> Any:
    """IAM with the scene-setting root keys of ``aws_env`` (test setup only)."""
    return boto3.client("iam")


@pytest.fixture
def store(tmp_path) -> PlanStore:
    return PlanStore(tmp_path / "state")


@pytest.fixture
def use_keys(monkeypatch) -> Callable[[dict[str, str]], None]:
    def switch(keys: dict[str, str]) -> None:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", keys["AccessKeyId"])
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", keys["SecretAccessKey"])
        if keys.get("SessionToken"):
            monkeypatch.setenv("AWS_SESSION_TOKEN", keys["SessionToken"])
        else:
            monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)

    return switch


@pytest.fixture
def user(iam, use_keys) -> Callable[..., dict[str, str]]:
    """Create a user with inline policies ``{name: document dict}`` and sign in as it; return its keys."""

    def make(name: str = "ada", path: str = "/", inline: dict[str, dict] | None = None) -> dict[str, str]:
        iam.create_user(UserName=name, Path=path)
        for policy_name, document in (inline or {}).items():
            iam.put_user_policy(UserName=name, PolicyName=policy_name, PolicyDocument=text(document))
        keys = iam.create_access_key(UserName=name)["AccessKey"]
        use_keys(keys)
        return keys

    return make


@pytest.fixture
def role(iam) -> Callable[..., str]:
    """Create a role (trusting SageMaker only, unless told otherwise); return its ARN."""

    def make(
        name: str = "SagemakerJupyterSchedulerRole",
        path: str = "/service-role/",
        trust: dict | None = None,
        inline: dict[str, dict] | None = None,
    ) -> str:
        arn = iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument=text(trust or TRUST_SAGEMAKER))[
            "Role"
        ]["Arn"]
        for policy_name, document in (inline or {}).items():
            iam.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=text(document))
        return arn

    return make


@pytest.fixture
def session(aws_env) -> Callable[[], AwsSession]:
    """A fresh session with the environment's current keys."""
    return lambda: AwsSession()


def _moto_auth(url: str, count: str) -> None:
    req = urllib.request.Request(
        f"{url}/moto-api/reset-auth", data=count.encode(), method="POST", headers={"Content-Type": "text/plain"}
    )
    urllib.request.urlopen(req, timeout=10).read()


@pytest.fixture
def moto_auth(aws_env) -> Iterator[Callable[[], None]]:
    """Call the returned function to switch moto's request authorization on (off again after)."""
    try:
        yield lambda: _moto_auth(aws_env, "0")
    finally:
        _moto_auth(aws_env, "inf")
