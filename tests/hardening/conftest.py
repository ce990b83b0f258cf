"""Fixtures for the hardening tests: the moto server and scene-setting clients of tests/conftest.py
(``aws_env``, ``iam``, ``sts``, ``use_keys``), a Jupyter server with the extension, a fault-injecting
proxy in front of moto, and the knobs that keep fault tests fast (short read timeout, quick retry
backoff) without changing what is retried."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from botocore.retries import standard

from jupyter_nbjob_iam.aws import session as aws_session
from jupyter_nbjob_iam.aws import writes as aws_writes

from .fault_proxy import FaultProxy


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path) -> None:
    """No scheduler setting of the developer's, the plan/backup store in a temporary directory,
    ConcurrentModification retried without waiting."""
    settings = tmp_path / "lab-user-settings"
    settings.mkdir()
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(settings))
    monkeypatch.setenv("NBJOB_IAM_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr(aws_writes, "RETRY_DELAYS", (0.01, 0.01, 0.01))


@pytest.fixture
def state_dir(tmp_path):
    return tmp_path / "state"


@pytest.fixture
def jp_server_config(jp_server_config):
    config = dict(jp_server_config)
    config["ServerApp"] = {**config.get("ServerApp", {}), "jpserver_extensions": {"jupyter_nbjob_iam": True}}
    config["NbJobIamService"] = {"verify_timeout": 5.0}
    return config


@pytest.fixture
def proxy(aws_env, iam, sts, monkeypatch) -> Iterator[FaultProxy]:
    """A fault proxy in front of moto; the extension's AWS calls go through it. The scene-setting
    clients are made first, so they keep talking to moto directly (never faulted nor recorded)."""
    with FaultProxy(aws_env) as running:
        monkeypatch.setenv("AWS_ENDPOINT_URL", running.url)
        yield running


@pytest.fixture
def quick_retries(monkeypatch) -> None:
    """botocore's standard retry mode, unchanged in what it retries and how often, without its
    backoff sleeps (up to 1+2+4+8 s for throttling)."""
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.001)


@pytest.fixture
def read_timeout(monkeypatch) -> Callable[[float], None]:
    """Shorten the read timeout of every AwsSession made afterwards (it is fixed at 20 s)."""

    def shorten(seconds: float) -> None:
        real = aws_session.Config
        monkeypatch.setattr(aws_session, "Config", lambda **kw: real(**{**kw, "read_timeout": seconds}))

    return shorten
