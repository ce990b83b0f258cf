"""The inputs the scheduler really uses: its saved settings (nested ``advancedOptions``, JSON5), the
S3 folders (custom buckets and prefixes) and both KMS keys (ARN, id, alias name, alias ARN, resolved
with kms:DescribeKey against moto), and where each came from."""

from __future__ import annotations

import json
import os
from pathlib import Path

import boto3
import pytest

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.check import run_check
from jupyter_nbjob_iam.check.scope import scope_from_report
from jupyter_nbjob_iam.errors import InputError
from jupyter_nbjob_iam.scheduler_settings import SCHEDULER_PLUGIN, SCHEDULER_SETTINGS_FILE, read_scheduler_settings

from .check_helpers import ACCOUNT, BOTH, BUCKET, EVERYTHING, GUIDE_ROLE, GUIDE_USER, REGION, allow, deny, doc

ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/Exec"
IN, OUT = "s3://team-notebooks/in/jobs/", "s3://team-results/out"


def save_settings(text: str) -> Path:
    folder = Path(os.environ["JUPYTERLAB_SETTINGS_DIR"]) / SCHEDULER_PLUGIN
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SCHEDULER_SETTINGS_FILE
    path.write_text(text)
    return path


def saved(**options: str) -> None:
    """Save the scheduler's advanced options as JupyterLab writes them (JSON5, a comment, nested)."""
    body = json.dumps({"advancedOptions": {"enable_network_isolation": False, **options}}, indent=2)
    save_settings("// @amzn/sagemaker-jupyter-scheduler:advanced-options\n" + body[:-1] + "  // saved\n}\n")


@pytest.fixture
def key(aws_env):
    """A KMS key with the alias alias/notebooks in the test account; returns its metadata."""
    kms = boto3.client("kms")
    meta = kms.create_key(Description="notebook jobs")["KeyMetadata"]
    kms.create_alias(AliasName="alias/notebooks", TargetKeyId=meta["KeyId"])
    return meta


def guide_with_s3(*resources: str) -> str:
    """The guide's user policy with its artifact statement on ``resources`` instead of the default bucket."""
    policy = json.loads(GUIDE_USER)
    for st in policy["Statement"]:
        if st["Sid"] == "S3ArtifactsAccess":
            st["Resource"] = list(resources)
    return json.dumps(policy)


def role_with_s3(*resources: str) -> str:
    policy = json.loads(GUIDE_ROLE)
    for st in policy["Statement"]:
        if st["Sid"] == "S3ForStoringArtifacts":
            st["Resource"] = list(resources)
    return json.dumps(policy)


CUSTOM = (
    "arn:aws:s3:::team-notebooks",
    "arn:aws:s3:::team-notebooks/in/jobs/*",
    "arn:aws:s3:::team-results",
    "arn:aws:s3:::team-results/out/*",
)


# --- the settings file --------------------------------------------------------------------------------


def test_nested_settings_with_comments_are_read(tmp_path):
    # Given the file JupyterLab writes for the scheduler: nested advancedOptions, JSON5 comments
    saved(role_arn=ROLE, s3_input=IN, s3_output=OUT, sm_output_kms_key="alias/notebooks", sm_volume_kms_key="")
    # When read
    settings = read_scheduler_settings()
    # Then every option is there, and the schema's empty default means "not set"
    assert settings.to_json() == {
        "role_arn": ROLE,
        "s3_input": IN,
        "s3_output": OUT,
        "sm_output_kms_key": "alias/notebooks",
        "sm_volume_kms_key": None,
    }


def test_a_flat_role_arn_is_not_the_schedulers_shape():
    # Given a top-level role_arn (JupyterLab rejects it against the scheduler's schema; the scheduler never
    # writes it)
    save_settings(json.dumps({"role_arn": ROLE}))
    # Then nothing is taken from it
    assert read_scheduler_settings().role_arn is None


def test_settings_dir_follows_jupyterlab_settings_dir(tmp_path, monkeypatch):
    # Given JUPYTERLAB_SETTINGS_DIR points somewhere else
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path / "elsewhere"))
    saved(role_arn=ROLE)
    # Then that is where the setting is read
    assert read_scheduler_settings().role_arn == ROLE
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path / "empty"))
    assert read_scheduler_settings().role_arn is None


# --- what the check uses, and says it used ------------------------------------------------------------


def test_check_uses_the_saved_role_folders_and_keys(ada, make_role, key):
    # Given the scheduler's saved role, folders and both keys (alias name and key id)
    make_role("Exec", path="/service-role/", services=BOTH, inline={"All": EVERYTHING})
    saved(
        role_arn=ROLE, s3_input=IN, s3_output=OUT, sm_output_kms_key="alias/notebooks", sm_volume_kms_key=key["KeyId"]
    )
    ada(inline={"All": EVERYTHING})
    # When checked with nothing typed
    report = run_check(AwsSession(), engine="local").to_json()
    # Then every input came from the saved settings, the keys resolved to the key's ARN
    inputs = report["inputs"]
    assert inputs["role"] == {"value": ROLE, "source": "scheduler_settings"}
    assert inputs["s3_input"] == {"value": IN, "source": "scheduler_settings"}
    assert inputs["s3_output"] == {"value": OUT, "source": "scheduler_settings"}
    for name, value in (("output_kms_key", "alias/notebooks"), ("volume_kms_key", key["KeyId"])):
        assert inputs[name] == {
            "value": value,
            "source": "scheduler_settings",
            "resolved_arn": key["Arn"],
            "error": None,
        }
    # And the buckets checked are the configured ones, with their prefixes
    assert report["buckets"] == [
        {"bucket": "team-notebooks", "prefix": "in/jobs", "used_for": ["input"]},
        {"bucket": "team-results", "prefix": "out", "used_for": ["output"]},
    ]
    # And the KMS statement names the one key ARN both resolve to
    (kms,) = [t for t in report["targets"] if t["target"] == "kms"]
    assert kms["statements"][0]["statement"]["Resource"] == key["Arn"]
    assert report["ok"] is True


def test_typed_inputs_win_over_saved_settings(ada, make_role, key):
    # Given saved folders, and others typed
    make_role("Exec", path="/service-role/", services=BOTH, inline={"All": EVERYTHING})
    saved(s3_input=IN, s3_output=OUT)
    ada(inline={"All": EVERYTHING})
    report = run_check(
        AwsSession(), role="Exec", engine="local", s3_input="s3://typed-bucket", output_kms_key=key["Arn"]
    ).to_json()
    # Then the typed ones are used and said to be typed; the rest still comes from the settings
    assert report["inputs"]["role"] == {"value": ROLE, "source": "typed"}
    assert report["inputs"]["s3_input"] == {"value": "s3://typed-bucket", "source": "typed"}
    assert report["inputs"]["s3_output"]["source"] == "scheduler_settings"
    assert report["inputs"]["output_kms_key"]["source"] == "typed"
    assert report["inputs"]["volume_kms_key"] == {"value": None, "source": "none", "resolved_arn": None, "error": None}
    assert [b["bucket"] for b in report["buckets"]] == ["typed-bucket", "team-results"]


def test_defaults_when_nothing_is_saved(ada, make_role):
    # Given no settings, a role found by the scheduler's name prefix
    make_role("SagemakerJupyterSchedulerRole", services=BOTH, inline={"All": EVERYTHING})
    ada(inline={"All": EVERYTHING})
    report = run_check(AwsSession(), engine="local").to_json()
    # Then the sources say so, and the default bucket is the one checked
    assert report["inputs"]["role"]["source"] == "name_prefix"
    assert report["inputs"]["s3_input"] == {"value": f"s3://{BUCKET}/", "source": "default"}
    assert report["buckets"] == [{"bucket": BUCKET, "prefix": "", "used_for": ["input", "output"]}]
    assert "kms" not in [t["target"] for t in report["targets"]]


def test_no_role_anywhere_is_source_none(ada):
    ada(inline={"All": EVERYTHING})
    report = run_check(AwsSession(), engine="local").to_json()
    assert report["inputs"]["role"] == {"value": None, "source": "none"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("s3_input", "s3://Bad_Bucket/x"), ("s3_output", "https://example.com/x"), ("s3_input", "s3://ok-bucket/a*")],
)
def test_a_malformed_saved_folder_names_the_setting(aws_env, field, value, counter):
    # Given a saved folder that is not an S3 folder
    saved(**{field: value})
    sess = AwsSession()
    calls = counter(sess)
    # Then the check refuses before any AWS call, naming the field and where it came from
    with pytest.raises(InputError) as info:
        run_check(sess, engine="local")
    assert info.value.details["field"] == field
    assert info.value.details["source"] == "scheduler_settings"
    assert "saved setting" in info.value.message
    assert calls.total == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"s3_input": "bucket/without/scheme"}, "s3_input"),
        ({"output_kms_key": "not a key"}, "output_kms_key"),
        ({"volume_kms_key": "alias/with space"}, "volume_kms_key"),
        ({"kms_key_arn": "alias/short-name"}, "kms_key_arn"),
        ({"kms_key_arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/a", "output_kms_key": "alias/other"}, "output_kms_key"),
    ],
)
def test_malformed_typed_inputs_are_input_errors(aws_env, kwargs, field):
    with pytest.raises(InputError) as info:
        run_check(AwsSession(), engine="local", **kwargs)
    assert (info.value.status, info.value.details["field"]) == (400, field)


# --- the real buckets decide --------------------------------------------------------------------------


def test_custom_folders_are_checked_not_the_default_bucket(ada, make_role):
    # Given the guide's own policies (which name only the default bucket) and custom folders saved
    make_role("Exec", path="/service-role/", services=BOTH, inline={"Guide": GUIDE_ROLE})
    saved(role_arn=ROLE, s3_input=IN, s3_output=OUT)
    ada(inline={"Guide": GUIDE_USER})
    report = run_check(AwsSession(), engine="local")
    # Then the artifact statements are not in place: the jobs' files go elsewhere
    assert report.statuses()["identity"]["S3ArtifactsAccess"] == "missing"
    assert report.statuses()["role"]["S3ForStoringArtifacts"] == "missing"
    assert report.ok is False
    (s3,) = [s for s in report.target("identity").statements if s.sid == "S3ArtifactsAccess"]
    # The default bucket is not used, so creating it is not required
    assert "s3:CreateBucket" not in s3.missing_actions
    assert {"s3:PutObject", "s3:GetObject", "s3:GetBucketLocation"} <= set(s3.missing_actions)


def test_policies_on_the_custom_folders_are_ok(ada, make_role):
    # Given policies scoped to exactly the custom buckets and prefixes
    make_role("Exec", path="/service-role/", services=BOTH, inline={"Scoped": role_with_s3(*CUSTOM)})
    saved(role_arn=ROLE, s3_input=IN, s3_output=OUT)
    ada(inline={"Scoped": guide_with_s3(*CUSTOM)})
    report = run_check(AwsSession(), engine="local")
    # Then the artifact statements are in place
    assert report.statuses()["identity"]["S3ArtifactsAccess"] == "ok"
    assert report.statuses()["role"]["S3ForStoringArtifacts"] == "ok"


def test_a_prefix_too_narrow_for_the_output_is_partial(ada, make_role):
    # Given the user may write inputs but read outputs only under another prefix
    narrow = ("arn:aws:s3:::team-notebooks", "arn:aws:s3:::team-notebooks/in/jobs/*", "arn:aws:s3:::team-results",
              "arn:aws:s3:::team-results/elsewhere/*")  # fmt: skip
    make_role("Exec", path="/service-role/", services=BOTH, inline={"Scoped": role_with_s3(*CUSTOM)})
    saved(role_arn=ROLE, s3_input=IN, s3_output=OUT)
    ada(inline={"Scoped": guide_with_s3(*narrow)})
    report = run_check(AwsSession(), engine="local")
    (s3,) = [s for s in report.target("identity").statements if s.sid == "S3ArtifactsAccess"]
    # Then downloading the results (GetObject under <output>/<job>/output/) is the gap
    assert (s3.status, s3.missing_actions) == ("partial", ("s3:GetObject",))


# --- KMS keys -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["arn", "id", "alias_name", "alias_arn"])
def test_every_key_form_resolves_to_the_key_arn(ada, make_role, key, form):
    given = {
        "arn": key["Arn"],
        "id": key["KeyId"],
        "alias_name": "alias/notebooks",
        "alias_arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/notebooks",
    }[form]
    make_role("Exec", services=BOTH, inline={"All": EVERYTHING})
    ada(inline={"All": EVERYTHING})
    report = run_check(AwsSession(), role="Exec", engine="local", volume_kms_key=given).to_json()
    assert report["inputs"]["volume_kms_key"]["resolved_arn"] == key["Arn"]
    (kms,) = [t for t in report["targets"] if t["target"] == "kms"]
    assert kms["statements"][0]["statement"]["Resource"] == key["Arn"]


def test_two_keys_one_statement_listing_both(ada, make_role, key):
    other = boto3.client("kms").create_key()["KeyMetadata"]
    make_role("Exec", services=BOTH, inline={"All": EVERYTHING})
    # Given ada may use the first key only
    ada(inline={"Mostly": doc(allow("*"), deny("kms:*", resource=other["Arn"]))})
    report = run_check(
        AwsSession(), role="Exec", engine="local", output_kms_key=key["Arn"], volume_kms_key=other["KeyId"]
    )
    (kms,) = report.target("kms").statements
    # Then one KmsKeyAccess statement covers both keys, and it is not in place for the second
    assert kms.statement["Resource"] == [key["Arn"], other["Arn"]]
    assert kms.status == "denied"


def test_refused_describe_key_leaves_an_alias_out_and_says_which(ada, make_role, key, moto_auth):
    # Given ada may do everything except kms:DescribeKey
    make_role("Exec", services=BOTH, inline={"All": EVERYTHING})
    ada(inline={"NoDescribe": doc(allow("*"), deny("kms:DescribeKey"))})
    moto_auth()
    report = run_check(AwsSession(), role="Exec", engine="local", output_kms_key="alias/notebooks").to_json()
    # Then the output key has no ARN, the error names it and the way out; nothing was checked for it
    entry = report["inputs"]["output_kms_key"]
    assert entry["resolved_arn"] is None
    assert "alias/notebooks" in entry["error"] and "kms:DescribeKey was refused" in entry["error"]
    assert "kms" not in [t["target"] for t in report["targets"]]
    assert entry["error"] in report["notes"]
    assert report["ok"] is False


def test_refused_describe_key_still_makes_a_key_id_exact(ada, make_role, key, moto_auth):
    # A key id names a key of the caller's account in the job's region: its ARN is exact without the call.
    make_role("Exec", services=BOTH, inline={"All": EVERYTHING})
    ada(inline={"NoDescribe": doc(allow("*"), deny("kms:DescribeKey"))})
    moto_auth()
    report = run_check(AwsSession(), role="Exec", engine="local", volume_kms_key=key["KeyId"]).to_json()
    entry = report["inputs"]["volume_kms_key"]
    assert (entry["resolved_arn"], entry["error"]) == (key["Arn"], None)
    assert any("kms:DescribeKey was refused for the key id" in n for n in report["notes"])


def test_an_alias_that_does_not_exist_is_reported(ada, make_role, key):
    make_role("Exec", services=BOTH, inline={"All": EVERYTHING})
    ada(inline={"All": EVERYTHING})
    report = run_check(AwsSession(), role="Exec", engine="local", output_kms_key="alias/missing").to_json()
    entry = report["inputs"]["output_kms_key"]
    assert entry["resolved_arn"] is None and "does not exist" in entry["error"]
    assert report["ok"] is False


def test_scope_from_report_gives_the_fix_the_checked_folders_and_keys(ada, make_role, key):
    # Given a check with custom folders and an alias key (saved and typed mixed)
    make_role("Exec", path="/service-role/", services=BOTH, inline={"All": EVERYTHING})
    saved(s3_input=IN, sm_volume_kms_key="alias/notebooks")
    ada(inline={"All": EVERYTHING})
    report = run_check(AwsSession(), role="Exec", engine="local", s3_output=OUT).to_json()
    # When the fix rebuilds the scope from the report
    scope = scope_from_report(report)
    # Then it scopes to exactly what was checked: the two folders and the resolved key ARN
    assert scope.artifact_locations() == [("team-notebooks", "in/jobs"), ("team-results", "out")]
    assert scope.kms_key_arns() == [key["Arn"]]
    assert (scope.role_arn, scope.username) == (ROLE, "ada")
    # And with the defaults, the default bucket
    default = scope_from_report(
        run_check(AwsSession(), role="Exec", engine="local", s3_input="", s3_output="").to_json()
    )
    assert default.artifact_locations() == [("team-notebooks", "in/jobs"), (BUCKET, "")]
