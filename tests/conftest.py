"""Shared fixtures: a real moto server over HTTP, and an isolated AWS environment per test.

Integration tests never patch boto3 in-process: they talk HTTP to moto's server on 127.0.0.1,
exactly as the extension talks to AWS (through the standard ``AWS_ENDPOINT_URL``).
"""

from __future__ import annotations

import os
import urllib.request

import pytest

pytest_plugins = ("pytest_jupyter.jupyter_server",)

TEST_REGION = "us-east-1"
TEST_ACCOUNT = "123456789012"


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
    urllib.request.urlopen(req, timeout=10).read()


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
