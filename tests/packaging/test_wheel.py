"""The wheel people `pip install` carries the prebuilt labextension and enables the server part."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSION = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["version"]
DATA = f"jupyter_nbjob_iam-{VERSION}.data/data"
LABEXT = f"{DATA}/share/jupyter/labextensions/jupyter_nbjob_iam"
DIST_INFO = f"jupyter_nbjob_iam-{VERSION}.dist-info"


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
    config = json.loads(wheel.read(f"{DATA}/etc/jupyter/jupyter_server_config.d/jupyter_nbjob_iam.json"))
    assert config["ServerApp"]["jpserver_extensions"]["jupyter_nbjob_iam"] is True


def test_wheel_has_the_cli_entry_point(wheel):
    entry_points = wheel.read(f"{DIST_INFO}/entry_points.txt").decode()
    assert "jupyter-nbjob-iam = jupyter_nbjob_iam.cli:main" in entry_points


def test_wheel_is_versioned_from_package_json_and_carries_the_license(wheel):
    # Given the wheel built from this tree, whose only version is package.json's
    metadata = wheel.read(f"{DIST_INFO}/METADATA").decode()
    names = set(wheel.namelist())
    # Then its metadata carries that version and the declared license, with the license file
    assert f"\nVersion: {VERSION}\n" in metadata
    assert "\nLicense-Expression: BSD-3-Clause\n" in metadata
    assert f"{DIST_INFO}/licenses/LICENSE" in names
    assert "jupyter_nbjob_iam/py.typed" in names
