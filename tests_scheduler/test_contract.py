"""Contract: every AWS call the real scheduler 3.2.2 makes is covered by this project's check.

Given a moto account and the real scheduler's Python classes (stubs: see conftest.py),
when every user operation runs (open the form, run now, create/list/get/pause/resume/update/delete a job
definition, run from a definition, list/get/download/stop/delete jobs),
then each recorded call maps to IAM requests (iam_map.py) and each of those is one the check asks
about (catalog ``required_statements`` + ``build_requests``, compared as in coverage_map.py).
"""

from __future__ import annotations

import asyncio

import pytest
from conftest import ACCOUNT, CUSTOM_INPUT, CUSTOM_OUTPUT, DEFAULT_BUCKET, REGION, ROLE_ARN
from coverage_map import checked_keys, key_of, prefixes_of
from iam_map import iam_requests
from scenario import EXPECTED_APIS, run_now_model, runtime_parameters

PRINCIPAL = f"arn:aws:iam::{ACCOUNT}:user/moto"


def check_requests(**scope_fields):
    from jupyter_nbjob_iam.catalog import Scope, build_requests, required_statements

    scope = Scope(account=ACCOUNT, region=REGION, principal_arn=PRINCIPAL, role_arn=ROLE_ARN, **scope_fields)
    return [r for stmt in required_statements("identity") for r in build_requests(stmt, scope)]


def best_effort(call, prefixes) -> bool:
    """The form's probe of the default bucket (HeadBucket, then create, encrypt, version) swallows
    every error (sagemaker_advanced_environments._create_s3_buckets, gathered with
    return_exceptions): it is needed only when the default bucket is one of the folders in use."""
    return call.operation == "open the create form" and call.service == "s3" and call.params["Bucket"] not in prefixes


def calls_table(recorder, prefixes, checked) -> str:
    rows = ["| operation | AWS call | IAM action | resource | covered |", "|---|---|---|---|---|"]
    for call in recorder.calls:
        reqs = iam_requests(call, account=ACCOUNT, region=REGION)
        if not reqs:
            rows.append(f"| {call.operation} | {call.service}:{call.api} | (none needed) | | yes |")
        for req in reqs:
            action = req.action + (f" ({req.passed_to_service})" if req.passed_to_service else "")
            covered = "yes" if key_of(req, prefixes) in checked else "**NO**"
            if covered != "yes" and best_effort(call, prefixes):
                covered = "not needed (best effort, errors only logged)"
            rows.append(f"| {call.operation} | {call.service}:{call.api} | {action} | {req.resource} | {covered} |")
    return "\n".join(rows)


def test_every_user_operation_makes_the_calls_read_from_the_scheduler_source(default_run):
    recorder, _ = default_run

    for operation, expected in EXPECTED_APIS.items():
        assert {c.api for c in recorder.of(operation)} == expected, operation
    failed = {(c.api, c.status) for c in recorder.calls if c.status is None or c.status >= 300}
    # The only refused call: HeadBucket says 404 for the default bucket before the scheduler creates it.
    # ListRoles may be cut off unanswered by the scheduler's own 3 s limit (IAM_TIMEOUT) on a busy
    # machine; the scheduler then offers no roles and goes on.
    assert ("HeadBucket", 404) in failed
    assert failed - {("HeadBucket", 404), ("ListRoles", None)} == set()
    assert [c.api for c in recorder.calls if c.stubbed] == ["StopTrainingJob", "StopTrainingJob"]


def test_the_check_covers_every_call_with_the_default_bucket(default_run):
    recorder, _ = default_run

    prefixes = prefixes_of(DEFAULT_BUCKET)
    checked = checked_keys(check_requests(), prefixes)
    table = calls_table(recorder, prefixes, checked)
    print(table)
    uncovered = [line for line in table.splitlines() if line.endswith("**NO** |")]
    assert uncovered == [], "calls the check does not ask about:\n" + "\n".join(uncovered)


def test_tags_the_scheduler_puts_on_what_it_creates(default_run):
    recorder, ids = default_run

    def tags(operation, api):
        (call,) = [c for c in recorder.of(operation) if c.api == api]
        return {t["Key"]: t["Value"] for t in call.params.get("Tags", [])}

    base = {
        "sagemaker:name",
        "sagemaker:notebook-name",
        "sagemaker:is-scheduling-notebook-job",
        "sagemaker:is-studio-archived",
        "sagemaker:headless-execution-version",
    }
    assert set(tags("run now", "CreateTrainingJob")) == base
    assert set(tags("create job definition", "CreatePipeline")) == base
    assert set(tags("create job definition", "PutRule")) == base
    assert tags("update job definition", "PutRule") == {}
    from_definition = tags("run job from definition", "CreateTrainingJob")
    assert set(from_definition) == base | {"sagemaker:job-definition-id"}
    assert from_definition["sagemaker:job-definition-id"] == ids["definition"]
    assert tags("run now", "CreateTrainingJob")["sagemaker:is-scheduling-notebook-job"] == "true"


def test_outside_studio_3_2_2_fails_every_create_after_uploading_the_notebook(scheduler, recorder):
    """No stub of get_app_type here: the real 3.2.2 code path, as a local JupyterLab runs it."""
    import boto3
    from jupyter_scheduler.exceptions import SchedulerError

    boto3.client("s3", region_name=REGION).create_bucket(Bucket=DEFAULT_BUCKET[5:-1])
    model = run_now_model(runtime_parameters(DEFAULT_BUCKET, DEFAULT_BUCKET))
    recorder.start("run now")

    with pytest.raises(SchedulerError, match="resource-metadata.json"):
        asyncio.run(scheduler.create_job(model))

    apis = [c.api for c in recorder.calls]
    assert "PutObject" in apis and "CreateTrainingJob" not in apis
    assert apis[-1] == "DeleteObject"  # the upload is rolled back


def test_the_check_covers_every_call_with_custom_folders(custom_run):
    recorder, _ = custom_run
    buckets = {c.params["Bucket"] for c in recorder.calls if c.service == "s3"}
    assert {"team-notebooks", "team-results"} <= buckets  # the scheduler really used both

    # The form still probes the default bucket, best effort (see best_effort).
    prefixes = prefixes_of(CUSTOM_INPUT, CUSTOM_OUTPUT)
    fields = {"s3_input": CUSTOM_INPUT, "s3_output": CUSTOM_OUTPUT}
    checked = checked_keys(check_requests(**fields), prefixes)
    table = calls_table(recorder, prefixes, checked)
    print(table)
    uncovered = [line for line in table.splitlines() if line.endswith("**NO** |")]
    assert uncovered == [], "calls the check does not ask about:\n" + "\n".join(uncovered)
