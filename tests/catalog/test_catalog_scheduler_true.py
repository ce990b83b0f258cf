"""The requests as the scheduler (amazon-sagemaker-jupyter-scheduler 3.2.2) makes them: its folders
and keys on the Scope, the image its standalone provider resolves, pipeline-run job names, output keys,
the tags of each create, and sagemaker:AddTags as the dependent action of tagged creates."""

from __future__ import annotations

import re

import pytest

from jupyter_nbjob_iam.catalog import Scope, build_requests, required_statements
from jupyter_nbjob_iam.catalog.model import parse_s3_uri
from jupyter_nbjob_iam.errors import InputError

ACCOUNT = "123456789012"
REGION = "us-east-1"
USER = f"arn:aws:iam::{ACCOUNT}:user/ada"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/Exec"
KEY_A = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_B = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/mrk-0123456789abcdef0123456789abcdef"
DEFAULT = f"sagemaker-automated-execution-{ACCOUNT}-{REGION}"
BASE5 = [
    "sagemaker:name",
    "sagemaker:notebook-name",
    "sagemaker:is-scheduling-notebook-job",
    "sagemaker:is-studio-archived",
    "sagemaker:headless-execution-version",
]
SIX = BASE5 + ["sagemaker:job-definition-id"]


def scope(**kwargs) -> Scope:
    return Scope(ACCOUNT, REGION, USER, role_arn=ROLE, **kwargs)


def requests(target: str, sid: str, s: Scope, action: str | None = None):
    (stmt,) = [x for x in required_statements(target) if x.sid == sid]
    return [r for r in build_requests(stmt, s) if action is None or r.action == action]


# --- the Scope's folders and keys (the contract with the fix) ---------------------------------------


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("s3://bucket-1", ("bucket-1", "")),
        ("s3://bucket-1/", ("bucket-1", "")),
        ("s3://bucket-1/a/b/", ("bucket-1", "a/b")),
        ("S3://my.bucket/x", ("my.bucket", "x")),
    ],
)
def test_s3_uris(uri, expected):
    assert parse_s3_uri(uri) == expected


@pytest.mark.parametrize(
    "uri", ["bucket", "https://b/x", "s3://", "s3://B/x", "s3://b/x*", "s3://bucket/a?b", 's3://bucket/"', "s3://ab"]
)
def test_bad_s3_uris_are_input_errors(uri):
    with pytest.raises(InputError) as info:
        parse_s3_uri(uri, field="s3_output")
    assert info.value.details["field"] == "s3_output"


def test_default_locations_and_no_keys():
    s = scope()
    assert s.artifact_locations() == [(DEFAULT, "")]
    assert s.kms_key_arns() == []


def test_two_buckets_with_prefixes():
    s = scope(s3_input="s3://in-bucket/notebooks/", s3_output="s3://out-bucket/results")
    assert s.artifact_locations() == [("in-bucket", "notebooks"), ("out-bucket", "results")]


@pytest.mark.parametrize(
    ("s3_input", "s3_output", "expected"),
    [
        ("s3://bkt/x", "s3://bkt/x/", [("bkt", "x")]),  # the same folder once
        ("s3://bkt", "s3://bkt/out", [("bkt", "")]),  # the whole bucket contains the prefix
        ("s3://bkt/in/deep", "s3://bkt/in", [("bkt", "in")]),  # the wider prefix replaces the narrower
        ("s3://bkt/in", "s3://bkt/inner", [("bkt", "in"), ("bkt", "inner")]),  # a prefix, not a string prefix
    ],
)
def test_overlapping_locations_fold(s3_input, s3_output, expected):
    assert scope(s3_input=s3_input, s3_output=s3_output).artifact_locations() == expected


def test_kms_key_arns_output_then_volume_once():
    assert scope(kms_key_arn=KEY_A, volume_kms_key_arn=KEY_B).kms_key_arns() == [KEY_A, KEY_B]
    assert scope(kms_key_arn=KEY_A, volume_kms_key_arn=KEY_A).kms_key_arns() == [KEY_A]
    assert scope(volume_kms_key_arn=KEY_B).kms_key_arns() == [KEY_B]


def test_scope_refuses_an_alias_as_volume_key():
    with pytest.raises(InputError) as info:
        scope(volume_kms_key_arn=f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/x")
    assert info.value.details["field"] == "volume_kms_key_arn"


def test_one_kms_statement_for_both_keys_with_a_request_per_key():
    (stmt,) = required_statements("kms", [KEY_A, KEY_B])
    assert stmt.statement["Resource"] == [KEY_A, KEY_B]
    reqs = build_requests(stmt, scope())
    assert {r.resource for r in reqs} == {KEY_A, KEY_B}
    assert len(reqs) == 2 * len(stmt.actions)


# --- S3 where the scheduler puts the files ---------------------------------------------------------


def test_identity_s3_on_custom_folders():
    s = scope(s3_input="s3://in-bucket/nb", s3_output="s3://out-bucket/res")
    got: dict[str, list[str]] = {}
    for r in requests("identity", "S3ArtifactsAccess", s):
        got.setdefault(r.action, []).append(r.resource)
    # Bucket set-up only ever concerns the scheduler's own bucket, not used here
    assert "s3:CreateBucket" not in got and "s3:PutBucketVersioning" not in got
    assert got["s3:GetBucketLocation"] == ["arn:aws:s3:::in-bucket", "arn:aws:s3:::out-bucket"]
    assert got["s3:GetEncryptionConfiguration"] == ["arn:aws:s3:::in-bucket"]
    assert got["s3:ListBucket"] == ["arn:aws:s3:::in-bucket"]
    (put,) = got["s3:PutObject"]
    assert re.fullmatch(r"arn:aws:s3:::in-bucket/nb/[a-z0-9-]+/input/notebook\.ipynb", put)
    assert got["s3:DeleteObject"] == [put]
    run_now, scheduled = got["s3:GetObject"]
    assert re.fullmatch(r"arn:aws:s3:::out-bucket/res/[a-z0-9-]+/output/output\.tar\.gz", run_now)
    assert re.fullmatch(
        r"arn:aws:s3:::out-bucket/res/[a-z0-9-]+/pipelines-[a-z0-9-]+/output/output\.tar\.gz", scheduled
    )
    # The buckets are the caller's: the scheduler sends ExpectedBucketOwner
    for r in requests("identity", "S3ArtifactsAccess", s):
        assert r.context["s3:ResourceAccount"] == ACCOUNT


def test_default_bucket_set_up_is_checked_when_a_folder_uses_it():
    s = scope(s3_output="s3://out-bucket")
    creates = requests("identity", "S3ArtifactsAccess", s, "s3:CreateBucket")
    assert [r.resource for r in creates] == [f"arn:aws:s3:::{DEFAULT}"]


def test_the_job_reads_its_input_and_writes_its_output():
    s = scope(s3_input="s3://in-bucket/nb", s3_output="s3://out-bucket/res")
    got: dict[str, list[str]] = {}
    for r in requests("role", "S3ForStoringArtifacts", s):
        got.setdefault(r.action, []).append(r.resource)
    assert got["s3:ListBucket"] == ["arn:aws:s3:::in-bucket"]
    assert all(x.startswith("arn:aws:s3:::in-bucket/nb/") for x in got["s3:GetObject"])
    assert len(got["s3:PutObject"]) == 2 and all(
        x.startswith("arn:aws:s3:::out-bucket/res/") for x in got["s3:PutObject"]
    )
    assert got["s3:GetBucketLocation"] == ["arn:aws:s3:::in-bucket", "arn:aws:s3:::out-bucket"]


# --- images, job names and tags ---------------------------------------------------------------------


@pytest.mark.parametrize(("region", "registry"), [("us-east-1", "081325390199"), ("us-west-2", "236514542706")])
def test_the_image_is_the_schedulers_standalone_one(region, registry):
    s = Scope(ACCOUNT, region, USER, role_arn=ROLE)
    for r in requests("role", "ECRImage", s):
        if r.action != "ecr:GetAuthorizationToken":
            assert r.resource == f"arn:aws:ecr:{region}:{registry}:repository/sagemaker-base-python-38"


def test_the_pipeline_creates_pipelines_named_training_jobs_with_six_tags():
    (create,) = requests("role", "SagemakerJobs", scope(), "sagemaker:CreateTrainingJob")
    assert re.fullmatch(rf"arn:aws:sagemaker:{REGION}:{ACCOUNT}:training-job/pipelines-[a-z0-9-]+", create.resource)
    assert create.context["aws:TagKeys"] == SIX
    (start,) = requests("role", "SagemakerJobs", scope(), "sagemaker:StartPipelineExecution")
    assert ":pipeline/" in start.resource


def test_the_role_tags_the_training_job_its_pipeline_creates():
    (create,) = requests("role", "SagemakerJobs", scope(), "sagemaker:CreateTrainingJob")
    (tag,) = requests("role", "TagPipelineTrainingJobs", scope())
    assert (tag.action, tag.resource) == ("sagemaker:AddTags", create.resource)
    assert tag.context["sagemaker:TaggingAction"] == "CreateTrainingJob"
    assert tag.context["aws:TagKeys"] == SIX
    assert tag.context["aws:PrincipalArn"] == ROLE  # the pipeline acts as the execution role
    from jupyter_nbjob_iam.catalog.scoped import scoped_statement

    (stmt,) = [x for x in required_statements("role") if x.sid == "TagPipelineTrainingJobs"]
    written = scoped_statement(stmt.statement, scope())
    assert written["Resource"] == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:training-job/pipelines-*"


def test_run_now_five_tags_run_from_definition_six():
    run_now, from_definition = requests("identity", "SagemakerJobs", scope(), "sagemaker:CreateTrainingJob")
    assert run_now.context["aws:TagKeys"] == BASE5
    assert from_definition.context["aws:TagKeys"] == SIX
    assert run_now.resource != from_definition.resource


def test_schedule_update_puts_the_rule_without_tags():
    create, update = requests("identity", "EventBridgeSchedule", scope(), "events:PutRule")
    assert create.context["aws:TagKeys"] == BASE5
    assert "aws:TagKeys" not in update.context
    assert not any(k.startswith("aws:RequestTag/") for k in update.context)
    assert not any(k.startswith("aws:RequestTag/") for k in update.unknown_keys)


def test_tagged_creates_need_add_tags_with_the_tagging_action():
    adds = requests("identity", "SagemakerTags", scope(), "sagemaker:AddTags")
    dependent = {(r.resource.split(":")[5].split("/")[0], r.context.get("sagemaker:TaggingAction")) for r in adds}
    assert ("pipeline", "CreatePipeline") in dependent
    assert ("training-job", "CreateTrainingJob") in dependent
    for r in adds:
        if r.context.get("sagemaker:TaggingAction") == "CreatePipeline":
            assert r.context["aws:TagKeys"] == BASE5


# --- the contract with the fix: what it writes covers exactly what is checked ----------------------


@pytest.mark.parametrize(
    "folders",
    [{}, {"s3_input": "s3://in-bucket/nb", "s3_output": "s3://out-bucket/res"}, {"s3_output": "s3://out-bucket"}],
)
def test_the_fixs_scoped_statements_allow_every_checked_request(folders):
    from jupyter_nbjob_iam.catalog.scoped import scoped_statement
    from jupyter_nbjob_iam.policy import Request as PolicyRequest
    from jupyter_nbjob_iam.policy import evaluate

    s = scope(kms_key_arn=KEY_A, volume_kms_key_arn=KEY_B, **folders)
    for target in ("identity", "role", "kms"):
        keys = s.kms_key_arns() if target == "kms" else None
        for stmt in required_statements(target, keys):
            if stmt.legacy:
                continue
            policy = {"Version": "2012-10-17", "Statement": [scoped_statement(stmt.statement, s)]}
            for r in build_requests(stmt, s):
                request = PolicyRequest(action=r.action, resource=r.resource, context=r.context)
                assert evaluate(request, [policy]).decision == "allowed", (stmt.sid, r.action, r.resource)
