"""The scheduler's settings, saved through JupyterLab's own settings REST API, drive our check.

Given a running `jupyter lab` with both extensions (the real scheduler 3.2.2 and this project's
wheel) and the sandbox account,
when a person's defaults are saved the way the scheduler's form saves them (PUT on
`/lab/api/settings/@amzn/sagemaker-jupyter-scheduler:advanced-options`, validated by JupyterLab
against the scheduler's real schema, nested under `advancedOptions`),
then `GET /nbjob-iam/context` reports them and `POST /nbjob-iam/check` without a role uses the
saved role and S3 folders, saying where each came from.
"""

from __future__ import annotations

import json

import pytest
from lab_server import LabServer

SETTINGS = "/lab/api/settings/@amzn/sagemaker-jupyter-scheduler:advanced-options"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    server = LabServer(tmp_path_factory.mktemp("lab"))
    yield server
    server.stop()


def saved_role(lab: LabServer) -> str:
    """A sandbox role the scheduler would not pick by its name prefix, so only the setting can."""
    status, body = lab.request("GET", "/nbjob-iam/roles")
    assert status == 200, body
    arns = [r["arn"] for r in body["roles"] if not r["name"].startswith("SagemakerJupyterScheduler")]
    assert arns, body
    return arns[0]


def test_jupyterlab_rejects_the_flat_shape_the_scheduler_schema_does_not_allow(lab):
    status, _ = lab.request("PUT", SETTINGS, {"raw": json.dumps({"role_arn": "arn:aws:iam::1:role/x"})})
    assert status == 400


def test_saved_settings_reach_the_context_and_the_check(lab):
    role = saved_role(lab)
    raw = (
        "{\n  // saved by the scheduler's form\n"
        f'  "advancedOptions": {{"role_arn": "{role}", "s3_input": "s3://team-notebooks/in",\n'
        '    "s3_output": "s3://team-results/out", "sm_output_kms_key": "", "sm_volume_kms_key": "",\n'
        '    "enable_network_isolation": false}\n}'
    )
    status, body = lab.request("PUT", SETTINGS, {"raw": raw})
    assert status == 204, body

    status, context = lab.request("GET", "/nbjob-iam/context")
    assert status == 200, context
    assert context["scheduler_settings"] == {
        "role_arn": role,
        "s3_input": "s3://team-notebooks/in",
        "s3_output": "s3://team-results/out",
        "sm_output_kms_key": None,
        "sm_volume_kms_key": None,
    }

    status, report = lab.request("POST", "/nbjob-iam/check", {})
    assert status == 200, report
    assert report["role"]["arn"] == role
    assert report["inputs"]["role"] == {"value": role, "source": "scheduler_settings"}
    assert report["inputs"]["s3_input"]["source"] == "scheduler_settings"
    assert {(b["bucket"], b["prefix"]) for b in report["buckets"]} == {
        ("team-notebooks", "in"),
        ("team-results", "out"),
    }
