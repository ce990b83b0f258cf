"""Shared fixtures: a real moto server over HTTP, and an isolated AWS environment per test.

Integration tests never patch boto3 in-process: they talk HTTP to moto's server on 127.0.0.1,
exactly as the extension talks to AWS (through the standard ``AWS_ENDPOINT_URL``).
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

pytest_plugins = ("pytest_jupyter.jupyter_server",)

TEST_REGION = "us-east-1"
TEST_ACCOUNT = "123456789012"


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "managed_policies: the test needs moto's copy of the AWS managed policies")


@pytest.fixture(scope="session", autouse=True)
def _private_fix_locks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The fix's per-principal locks are shared machine-wide on purpose (a CLI and a server must see
    each other's). Tests always use the same moto account and user, so two test runs on one machine
    would wait on each other's locks: each run gets a lock folder of its own (CLI subprocesses inherit it)."""
    old = os.environ.get("NBJOB_IAM_LOCK_DIR")
    os.environ["NBJOB_IAM_LOCK_DIR"] = str(tmp_path_factory.mktemp("locks"))
    yield
    if old is None:
        os.environ.pop("NBJOB_IAM_LOCK_DIR", None)
    else:
        os.environ["NBJOB_IAM_LOCK_DIR"] = old


@pytest.fixture(scope="session")
def moto_server():
    """Start moto's HTTP server on a free loopback port for the whole session; yield its URL."""
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def moto_api(url: str, path: str, body: bytes = b"") -> None:
    """POST to moto's control API (text/plain: moto reads an empty body from a form post)."""
    req = urllib.request.Request(
        f"{url}/moto-api/{path}", data=body, method="POST", headers={"Content-Type": "text/plain"}
    )
    # A guard against a hung server, not a speed limit: a reset that reloads AWS's ~1,000 managed
    # policies took over 10 s on a loaded 2-core machine (run 1 of the flake hunt).
    urllib.request.urlopen(req, timeout=120).read()


@pytest.fixture
def aws_env(moto_server, monkeypatch, tmp_path):
    """A clean moto account and an AWS environment pointing at it; yields the endpoint URL.

    The environment has no profiles and no credentials of its own (tests add what they need), so
    nothing on the developer's machine leaks in.
    """
    moto_api(moto_server, "reset")
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name, raising=False)
    config = tmp_path / "aws_config"
    creds = tmp_path / "aws_credentials"
    config.write_text("")
    creds.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    monkeypatch.setenv("AWS_DEFAULT_REGION", TEST_REGION)
    # Root-of-account keys for setting the scene; tests switch to a seeded user's keys.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    yield moto_server


@pytest.fixture(autouse=True)
def _no_aws_managed_policies(request, monkeypatch) -> None:
    """moto loads ~1,000 AWS managed policies at every reset (about 1.5 s a test): only tests marked
    ``managed_policies`` get them (moto reads the switch each time it builds its IAM backend)."""
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
def moto_auth(aws_env) -> Iterator[Callable[[], None]]:
    """Call the returned function to switch on moto's request authorization (real AccessDenied for
    what a user's policies lack); it is switched off again after the test (``reset`` keeps it)."""
    try:
        yield lambda: moto_api(aws_env, "reset-auth", b"0")
    finally:
        moto_api(aws_env, "reset-auth", b"inf")
