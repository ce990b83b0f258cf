"""GET /nbjob-iam/context: profiles and region as boto3 and the scheduler resolve them."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def two_profiles(aws_env, tmp_path, monkeypatch):
    config = tmp_path / "aws_config"
    config.write_text("[default]\nregion = eu-west-1\n\n[profile research]\nregion = us-west-2\n")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    return config


async def test_context_lists_profiles_and_default_region(two_profiles, jp_fetch):
    # Given an AWS config with two profiles and no region in the environment
    # When the panel asks for its context
    response = await jp_fetch("nbjob-iam", "context")
    # Then it sees both profiles, the default one, and the default profile's region
    assert response.code == 200
    body = json.loads(response.body)
    assert body["profiles"] == ["default", "research"]
    assert body["default_profile"] == "default"
    assert body["region"] == "eu-west-1"
    assert body["settings"]["inline_policy_name"] == "SageMakerNotebookJobs"
    assert body["scheduler"] == {"role_arn": None}


async def test_context_region_follows_aws_region_first(two_profiles, jp_fetch, monkeypatch):
    # Given AWS_REGION set (the scheduler reads it before the profile; boto3 alone would not)
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ca-central-1")
    # When
    body = json.loads((await jp_fetch("nbjob-iam", "context")).body)
    # Then the scheduler's order wins
    assert body["region"] == "ap-south-1"


async def test_context_reads_scheduler_default_role(two_profiles, jp_fetch, tmp_path, monkeypatch):
    # Given the scheduler's own JupyterLab setting names a role (file with a comment, as JupyterLab writes)
    settings_dir = tmp_path / "user-settings"
    target = settings_dir / "@amzn" / "sagemaker-jupyter-scheduler"
    target.mkdir(parents=True)
    (target / "advanced-options.jupyterlab-settings").write_text(
        '{\n  // saved by the scheduler\n  "role_arn": "arn:aws:iam::123456789012:role/service-role/Exec",\n}\n'
    )
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(settings_dir))
    # When
    body = json.loads((await jp_fetch("nbjob-iam", "context")).body)
    # Then the panel can preselect it
    assert body["scheduler"]["role_arn"] == "arn:aws:iam::123456789012:role/service-role/Exec"
