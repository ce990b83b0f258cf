"""Fixtures for the server extension: a Jupyter server with jupyter_nbjob_iam enabled."""

from __future__ import annotations

import pytest


@pytest.fixture
def jp_server_config(jp_server_config):
    config = dict(jp_server_config)
    config["ServerApp"] = {**config.get("ServerApp", {}), "jpserver_extensions": {"jupyter_nbjob_iam": True}}
    return config
