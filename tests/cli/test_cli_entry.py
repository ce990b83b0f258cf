"""`jupyter nbjob-iam` and `python -m jupyter_nbjob_iam` are the same CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

JUPYTER = shutil.which("jupyter", path=str(Path(sys.executable).parent))


@pytest.mark.parametrize(
    "command",
    [[sys.executable, "-m", "jupyter_nbjob_iam"], [JUPYTER or "jupyter", "nbjob-iam"]],
    ids=["python -m", "jupyter subcommand"],
)
def test_help_lists_the_subcommands(command):
    result = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "jupyter nbjob-iam" in result.stdout
    for name in ("sandbox", "demo"):
        assert name in result.stdout


def test_unknown_subcommand_exits_2_with_one_line_reason():
    result = subprocess.run(
        [sys.executable, "-m", "jupyter_nbjob_iam", "frobnicate"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "invalid choice: 'frobnicate'" in result.stderr
