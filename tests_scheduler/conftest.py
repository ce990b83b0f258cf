"""Fixtures that run the real amazon-sagemaker-jupyter-scheduler 3.2.2 against a real moto server.

These tests run only in the scheduler's own venv (``make test-scheduler``): the scheduler pins botocore
through aiobotocore, so it never shares the project's venv. The scheduler talks HTTP to moto through the
standard ``AWS_ENDPOINT_URL``; nothing reaches AWS.

What is stubbed, because it cannot run outside SageMaker Studio or in moto:
- ``model_converter.get_app_type``: 3.2.2 opens ``/opt/ml/metadata/resource-metadata.json``
  unconditionally, which exists only inside Studio. It is replaced by the value the scheduler's own
  ``app_metadata.get_app_type`` returns outside Studio (``""``). ``test_contract.py`` also runs one create
  without this stub to pin the blocker down.
- the account id: the scheduler's STS client forces ``https://sts.<region>.amazonaws.com``, ignoring
  ``AWS_ENDPOINT_URL``; the scheduler's own ``AWS_ACCOUNT_ID`` variable gives it moto's account instead
  (``sts:GetCallerIdentity`` needs no permission, so nothing is lost for the contract).
- ``sagemaker:StopTrainingJob``: moto 5.2 lacks it; see ``recorder.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

REGION = "us-east-1"
ACCOUNT = "123456789012"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/SagemakerJupyterSchedulerRole"
NOTEBOOK = "notebook.ipynb"


@pytest.fixture(scope="session")
def moto_url():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def point_at_moto(mp: pytest.MonkeyPatch, moto_url: str, home: Path) -> None:
    """Reset moto and give the scheduler (and boto3) an environment that reaches only moto."""
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", data=b"", method="POST")).read()
    for name in list(os.environ):
        if name.startswith("AWS_"):
            mp.delenv(name, raising=False)
    home.mkdir(parents=True, exist_ok=True)
    mp.setenv("HOME", str(home))
    # The scheduler runs `jupyter labextension list` to detect Studio: use this venv's jupyter.
    mp.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    env = {
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCOUNT_ID": ACCOUNT,
        "AWS_CONFIG_FILE": str(home / "aws_config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws_credentials"),
    }
    for k, v in env.items():
        mp.setenv(k, v)


def notebook_root(mp: pytest.MonkeyPatch, root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / NOTEBOOK).write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    mp.chdir(root)  # the scheduler's downloader writes relative to the cwd
    return root


def install_recorder(mp: pytest.MonkeyPatch):
    """Patch the scheduler's session factory so every AWS call is recorded (see recorder.py)."""
    import amazon_sagemaker_jupyter_scheduler.clients as clients
    from aiobotocore.session import get_session
    from recorder import Recorder

    rec = Recorder()
    mp.setattr(clients, "get_session", rec.session_factory(get_session))
    return rec


def stub_studio_metadata(mp: pytest.MonkeyPatch) -> None:
    """Stub the one Studio-only file read (see module docstring)."""
    import amazon_sagemaker_jupyter_scheduler.model_converter as model_converter

    mp.setattr(model_converter, "get_app_type", lambda: "")


def make_scheduler(root: Path):
    from amazon_sagemaker_jupyter_scheduler.environments import SagemakerEnvironmentManager
    from amazon_sagemaker_jupyter_scheduler.scheduler import SageMakerScheduler
    from traitlets.config import Config

    return SageMakerScheduler(root_dir=str(root), environments_manager=SagemakerEnvironmentManager(), config=Config())


@pytest.fixture
def recorder(moto_url, monkeypatch, tmp_path):
    point_at_moto(monkeypatch, moto_url, tmp_path / "home")
    return install_recorder(monkeypatch)


@pytest.fixture
def scheduler(recorder, monkeypatch, tmp_path):
    return make_scheduler(notebook_root(monkeypatch, tmp_path / "work"))


DEFAULT_BUCKET = f"s3://sagemaker-automated-execution-{ACCOUNT}-{REGION}/"
CUSTOM_INPUT = "s3://team-notebooks/in"
CUSTOM_OUTPUT = "s3://team-results/out"


def run_scenario(moto_url: str, base: Path, s3_input: str, s3_output: str, *, own_buckets: bool):
    """Every user operation once, in a fresh moto account; the person's own buckets made first."""
    import boto3
    import scenario

    with pytest.MonkeyPatch.context() as mp:
        point_at_moto(mp, moto_url, base / "home")
        if own_buckets:
            for uri in (s3_input, s3_output):
                boto3.client("s3", region_name=REGION).create_bucket(Bucket=uri[5:].split("/")[0])
        recorder = install_recorder(mp)
        stub_studio_metadata(mp)
        scheduler = make_scheduler(notebook_root(mp, base / "work"))
        ids = scenario.run_every_operation(scheduler, recorder, scenario.runtime_parameters(s3_input, s3_output))
    return recorder, ids


@pytest.fixture(scope="session")
def default_run(moto_url, tmp_path_factory):
    """The whole scenario once, with the default bucket (made by the scheduler) for input and output."""
    return run_scenario(moto_url, tmp_path_factory.mktemp("default"), DEFAULT_BUCKET, DEFAULT_BUCKET, own_buckets=False)


@pytest.fixture(scope="session")
def custom_run(moto_url, tmp_path_factory):
    """The whole scenario once more, with the person's own input and output folders (two buckets)."""
    return run_scenario(moto_url, tmp_path_factory.mktemp("custom"), CUSTOM_INPUT, CUSTOM_OUTPUT, own_buckets=True)
