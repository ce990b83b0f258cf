"""GET /nbjob-iam/context: profiles and region as boto3 and the scheduler resolve them."""

from __future__ import annotations

import json

import boto3
import pytest
from tornado.httpclient import HTTPClientError

from .aws_scene import user_with_keys


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
    assert set(body["scheduler_settings"].values()) == {None}
    assert set(body["environment"]["scheduler"]) == {"installed", "version", "works_outside_studio", "blockers"}


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
        '{\n  // saved by the scheduler\n  "advancedOptions": {\n'
        '    "role_arn": "arn:aws:iam::123456789012:role/service-role/Exec",\n'
        '    "s3_input": "s3://team-in/nb", "s3_output": "", "sm_output_kms_key": "alias/jobs",\n  },\n}\n'
    )
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(settings_dir))
    # When
    body = json.loads((await jp_fetch("nbjob-iam", "context")).body)
    # Then the panel can preselect it, and sees every saved option (unset ones as null)
    assert body["scheduler"]["role_arn"] == "arn:aws:iam::123456789012:role/service-role/Exec"
    assert body["scheduler_settings"] == {
        "role_arn": "arn:aws:iam::123456789012:role/service-role/Exec",
        "s3_input": "s3://team-in/nb",
        "s3_output": None,
        "sm_output_kms_key": "alias/jobs",
        "sm_volume_kms_key": None,
    }


async def test_check_takes_the_scheduler_inputs(aws_env, jp_fetch, tmp_path, monkeypatch):
    # Given ada, who may do anything, and no saved settings
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path / "settings"))
    iam = boto3.client("iam")
    user_with_keys(monkeypatch)
    iam.put_user_policy(
        UserName="ada",
        PolicyName="All",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        ),
    )
    # When the check is posted with folders and a key id
    key = "1234abcd-12ab-34cd-56ef-1234567890ab"
    body = {"engine": "local", "s3_input": "s3://team-in/nb", "s3_output": "s3://team-out", "volume_kms_key": key}
    response = await jp_fetch("nbjob-iam", "check", method="POST", body=json.dumps(body), request_timeout=120)
    report = json.loads(response.body)
    # Then the report uses them, says they were typed, and names the buckets
    assert report["inputs"]["s3_input"] == {"value": "s3://team-in/nb", "source": "typed"}
    assert report["inputs"]["volume_kms_key"]["value"] == key
    assert [b["bucket"] for b in report["buckets"]] == ["team-in", "team-out"]
    # And a malformed folder is a 400 naming the field
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("nbjob-iam", "check", method="POST", body=json.dumps({"s3_input": "team-in"}))
    assert info.value.code == 400
    assert json.loads(info.value.response.body)["details"]["field"] == "s3_input"
