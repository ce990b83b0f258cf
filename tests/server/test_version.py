"""One version, package.json's: the installed package, the CLI and GET /nbjob-iam/context all say it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import jupyter_nbjob_iam
from jupyter_nbjob_iam.cli import main

PACKAGE_JSON = Path(__file__).resolve().parents[2] / "package.json"
VERSION = json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))["version"]


def test_package_version_is_package_json_version():
    # The installed metadata is written from package.json by hatch-nodejs-version
    assert jupyter_nbjob_iam.__version__ == VERSION


def test_cli_prints_the_version(capsys):
    # When the CLI is asked for its version
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    # Then it prints package.json's, and exits 0
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"jupyter nbjob-iam {VERSION}"


async def test_context_reports_the_version(aws_env, jp_fetch):
    # When the panel asks for its context
    response = await jp_fetch("nbjob-iam", "context")
    # Then it carries the extension's version
    assert json.loads(response.body)["version"] == VERSION
