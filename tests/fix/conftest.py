"""Fixtures for the fix tests: the moto account over HTTP (``aws_env`` from tests/conftest.py),
principals made in it, a store in a temporary directory, and moto's request authorization."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.aws import writes as aws_writes
from jupyter_nbjob_iam.fix import PlanStore

from .fixhelp import TRUST_SAGEMAKER, text


@pytest.fixture(autouse=True)
def _fast_and_isolated(monkeypatch, tmp_path) -> None:
    """No scheduler setting of the developer's, and ConcurrentModification retries without waiting."""
    settings = tmp_path / "lab-user-settings"
    settings.mkdir()
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(settings))
    monkeypatch.setattr(aws_writes, "RETRY_DELAYS", (0.01, 0.01, 0.01))


@pytest.fixture
def store(tmp_path) -> PlanStore:
    return PlanStore(tmp_path / "state")


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
