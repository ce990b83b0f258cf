"""The wheel people `pip install` carries the prebuilt labextension and enables the server part."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LABEXT = "jupyter_nbjob_iam-0.1.0.data/data/share/jupyter/labextensions/jupyter_nbjob_iam"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    if not (ROOT / "jupyter_nbjob_iam" / "labextension" / "package.json").exists():
        pytest.fail("the labextension is not built: run `make install` (or `jlpm build:prod`) first")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        timeout=600,
    )
    (path,) = out.glob("jupyter_nbjob_iam-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_carries_the_prebuilt_labextension(wheel):
    names = set(wheel.namelist())
    package = json.loads(wheel.read(f"{LABEXT}/package.json"))
    load = package["jupyterlab"]["_build"]["load"]
    assert f"{LABEXT}/{load}" in names
    assert f"{LABEXT}/static/style.js" in names
    assert f"{LABEXT}/schemas/jupyter_nbjob_iam/plugin.json" in names
    assert f"{LABEXT}/install.json" in names


def test_wheel_enables_the_server_extension(wheel):
    config = json.loads(
        wheel.read("jupyter_nbjob_iam-0.1.0.data/data/etc/jupyter/jupyter_server_config.d/jupyter_nbjob_iam.json")
    )
    assert config["ServerApp"]["jpserver_extensions"]["jupyter_nbjob_iam"] is True


def test_wheel_has_the_cli_entry_point(wheel):
    entry_points = wheel.read("jupyter_nbjob_iam-0.1.0.dist-info/entry_points.txt").decode()
    assert "jupyter-nbjob-iam = jupyter_nbjob_iam.cli:main" in entry_points
