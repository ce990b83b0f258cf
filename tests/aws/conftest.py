"""Fixtures for the aws/ integration tests: scene-setting clients, seeded principals, moto's
request authorization, and a counter of the AWS calls a piece of code makes."""

from __future__ import annotations

import collections
import json
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from aws_helpers import TRUST_BOTH_AND_ACCOUNT  # noqa: E402

from jupyter_nbjob_iam.aws import AwsSession


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "managed_policies: the test needs moto's copy of the AWS managed policies")


@pytest.fixture(autouse=True)
def _skip_aws_managed_policies(request, moto_server, monkeypatch) -> None:
    """moto loads ~1,000 AWS managed policies on every reset (about 1.5 s a test). Tests here use
    customer managed policies unless marked ``managed_policies``; moto reads the switch each time
    it builds its IAM backend, and monkeypatch restores it for everyone else afterwards."""
    if request.node.get_closest_marker("managed_policies") is None:
        monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "false")


@pytest.fixture
def iam(aws_env) -> Any:
    """An IAM client with the scene-setting keys of ``aws_env`` (plain boto3: test setup only)."""
    return boto3.client("iam")


@pytest.fixture
def sts(aws_env) -> Any:
    return boto3.client("sts")


@pytest.fixture
def use_keys(monkeypatch) -> Callable[[dict[str, str]], None]:
    """Switch the environment's credentials to ``{"AccessKeyId", "SecretAccessKey"[, "SessionToken"]}``."""

    def switch(keys: dict[str, str]) -> None:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", keys["AccessKeyId"])
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", keys["SecretAccessKey"])
        if keys.get("SessionToken"):
            monkeypatch.setenv("AWS_SESSION_TOKEN", keys["SessionToken"])
        else:
            monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)

    return switch


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


def _moto_auth(url: str, count: str) -> None:
    # Flask reads the body as a form unless it is declared as something else.
    req = urllib.request.Request(
        f"{url}/moto-api/reset-auth",
        data=count.encode(),
        method="POST",
        headers={"Content-Type": "text/plain"},
    )
    urllib.request.urlopen(req, timeout=10).read()


@pytest.fixture
def moto_auth(aws_env) -> Iterator[Callable[[], None]]:
    """Call the returned function to switch on moto's request authorization (real AccessDenied
    for what a user's policies lack); it is switched off again after the test."""
    try:
        yield lambda: _moto_auth(aws_env, "0")
    finally:
        _moto_auth(aws_env, "inf")


class CallCounter:
    """Counts API calls per operation on a client (botocore ``before-call`` events) and the most
    calls in flight at once; ``delay`` adds latency to each call, like a distant endpoint."""

    def __init__(self, delay: float = 0.0) -> None:
        self.calls: collections.Counter[str] = collections.Counter()
        self.params: list[tuple[str, dict[str, Any]]] = []
        self.delay = delay
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()

    def record_params(self, model: Any, params: Any, **_: Any) -> None:
        with self._lock:
            self.params.append((model.name, dict(params)))

    def before(self, model: Any, **_: Any) -> None:
        with self._lock:
            self.calls[model.name] += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        if self.delay:
            time.sleep(self.delay)

    def after(self, **_: Any) -> None:
        with self._lock:
            self.in_flight -= 1

    def attach(self, client: Any) -> CallCounter:
        service = client.meta.service_model.service_id.hyphenize()
        client.meta.events.register(f"before-parameter-build.{service}", self.record_params)
        client.meta.events.register(f"before-call.{service}", self.before)
        client.meta.events.register(f"after-call.{service}", self.after)
        client.meta.events.register(f"after-call-error.{service}", self.after)
        return self

    @property
    def total(self) -> int:
        return sum(self.calls.values())


@pytest.fixture
def counter() -> Callable[..., CallCounter]:
    def make(sess: AwsSession, service: str = "iam", delay: float = 0.0) -> CallCounter:
        return CallCounter(delay).attach(sess.client(service))

    return make
