"""Environment pre-flight: the installed scheduler (a fake distribution in a temporary site dir, found
through importlib.metadata), which releases work outside Studio, and the Studio-metadata blocker."""

from __future__ import annotations

from pathlib import Path

import pytest

from jupyter_nbjob_iam import scheduler_env
from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.check import run_check
from jupyter_nbjob_iam.scheduler_env import detect_scheduler

from .check_helpers import BOTH, EVERYTHING


def fake_scheduler(site: Path, version: str) -> Path:
    """A minimal installed distribution of the scheduler, as pip leaves it (dist-info METADATA)."""
    info = site / f"amazon_sagemaker_jupyter_scheduler-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: amazon-sagemaker-jupyter-scheduler\nVersion: {version}\n"
    )
    return site


@pytest.fixture
def outside_studio(tmp_path, monkeypatch) -> Path:
    """No Studio metadata file where the scheduler would open it."""
    missing = tmp_path / "opt-ml" / "metadata" / "resource-metadata.json"
    monkeypatch.setattr(scheduler_env, "STUDIO_METADATA_FILE", missing)
    return missing


def test_not_installed_is_a_plain_note(tmp_path, outside_studio):
    env = detect_scheduler(path=[str(tmp_path)])
    assert env.to_json() == {"installed": False, "version": None, "works_outside_studio": None, "blockers": []}
    assert "not installed" in env.note


@pytest.mark.parametrize("version", ["3.0.0", "3.1.16", "3.2.2"])
def test_3x_is_blocked_outside_studio_with_the_way_out(tmp_path, outside_studio, version):
    env = detect_scheduler(path=[str(fake_scheduler(tmp_path, version))])
    assert (env.installed, env.version, env.works_outside_studio) == (True, version, False)
    (blocker,) = env.blockers
    assert blocker.code == "studio_metadata_required"
    assert str(outside_studio) in blocker.message and "get_app_type()" in blocker.message
    assert "SageMaker Studio" in blocker.way_out and "<3" in blocker.way_out
    assert env.note is None


def test_3x_inside_studio_has_no_blocker(tmp_path, outside_studio):
    # Given the metadata file exists (SageMaker Studio, or the documented workaround applied)
    outside_studio.parent.mkdir(parents=True)
    outside_studio.write_text("{}")
    env = detect_scheduler(path=[str(fake_scheduler(tmp_path, "3.2.2"))])
    assert env.works_outside_studio is False and env.blockers == ()


@pytest.mark.parametrize(("version", "works"), [("2.2.24", True), ("2.0.0", True), ("4.0.0", None)])
def test_other_lines(tmp_path, outside_studio, version, works):
    env = detect_scheduler(path=[str(fake_scheduler(tmp_path, version))])
    assert env.works_outside_studio is works
    assert env.blockers == ()


def test_the_report_carries_the_environment(ada, make_role, tmp_path, monkeypatch, outside_studio):
    # Given scheduler 3.2.2 installed on sys.path, outside Studio
    monkeypatch.syspath_prepend(str(fake_scheduler(tmp_path / "site", "3.2.2")))
    make_role("Exec", services=BOTH, inline={"All": EVERYTHING})
    ada(inline={"All": EVERYTHING})
    report = run_check(AwsSession(), role="Exec", engine="local").to_json()
    # Then the report names it and the blocker, although every permission is in place
    scheduler = report["environment"]["scheduler"]
    assert (scheduler["installed"], scheduler["version"], scheduler["works_outside_studio"]) == (True, "3.2.2", False)
    assert [b["code"] for b in scheduler["blockers"]] == ["studio_metadata_required"]
    assert report["ok"] is True  # permissions: the blocker is not a permission gap


def test_the_report_notes_a_missing_scheduler(ada, make_role, outside_studio, monkeypatch):
    monkeypatch.setattr(scheduler_env, "installed_version", lambda path=None: None)
    ada(inline={"All": EVERYTHING})
    report = run_check(AwsSession(), engine="local").to_json()
    assert report["environment"]["scheduler"]["installed"] is False
    assert any("is not installed in this environment" in n for n in report["notes"])
