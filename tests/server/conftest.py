"""Fixtures for the server extension: a Jupyter server with jupyter_nbjob_iam enabled."""

from __future__ import annotations

import pytest


@pytest.fixture
def jp_server_config(jp_server_config):
    config = dict(jp_server_config)
    config["ServerApp"] = {**config.get("ServerApp", {}), "jpserver_extensions": {"jupyter_nbjob_iam": True}}
    return config


@pytest.fixture
def blackhole(aws_env, monkeypatch):
    """AWS pointed at an endpoint that accepts every request and never answers."""
    from .blackhole import Blackhole

    hole = Blackhole()
    monkeypatch.setenv("AWS_ENDPOINT_URL", hole.url)
    yield hole
    hole.close()


@pytest.fixture
def service(jp_serverapp):
    """The running extension's service (its limiter, its settings)."""
    return jp_serverapp.web_app.settings["nbjob_iam_service"]
