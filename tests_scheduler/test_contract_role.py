"""Contract, execution-role side: what the job does as the role, once AWS runs it, is asked about.

Given the runs of test_contract.py (default bucket, custom folders), the requests the execution role
makes (role_requests.py: derived from the parameters the scheduler really sent) must each be one the
check asks about for the role (``required_statements("role")`` + ``build_requests``).

That includes the one the AWS guide leaves out: a scheduled run's training job is created by the
pipeline *as the role*, with the step's six tags, so ``sagemaker:AddTags`` on ``training-job/pipelines-…``
is a dependent action for the role (the catalog's ``TagPipelineTrainingJobs``, the scheduler's own
statement after the guide's five). Nothing is left uncovered.
"""

from __future__ import annotations

from conftest import ACCOUNT, CUSTOM_INPUT, CUSTOM_OUTPUT, DEFAULT_BUCKET, REGION, ROLE_ARN
from coverage_map import checked_keys, key_of, prefixes_of
from role_requests import role_requests
from test_contract import PRINCIPAL


def role_check_requests(**scope_fields):
    from jupyter_nbjob_iam.catalog import Scope, build_requests, required_statements

    scope = Scope(account=ACCOUNT, region=REGION, principal_arn=PRINCIPAL, role_arn=ROLE_ARN, **scope_fields)
    return [r for stmt in required_statements("role") for r in build_requests(stmt, scope)]


def uncovered_role_requests(recorder, prefixes, **scope_fields) -> list:
    checked = checked_keys(role_check_requests(**scope_fields), prefixes)
    needed = role_requests(recorder.calls, account=ACCOUNT, region=REGION)
    assert len(needed) > 20  # image pulls, input reads, output writes, pipeline start, for three jobs
    return sorted({key_of(r, prefixes) for r in needed} - checked)


def test_the_check_covers_what_the_execution_role_does_with_the_default_bucket(default_run):
    recorder, _ = default_run
    uncovered = uncovered_role_requests(recorder, prefixes_of(DEFAULT_BUCKET))
    assert uncovered == [], "execution-role requests the check does not ask about:\n" + "\n".join(map(str, uncovered))


def test_the_check_covers_what_the_execution_role_does_with_custom_folders(custom_run):
    recorder, _ = custom_run
    fields = {"s3_input": CUSTOM_INPUT, "s3_output": CUSTOM_OUTPUT}
    uncovered = uncovered_role_requests(recorder, prefixes_of(CUSTOM_INPUT, CUSTOM_OUTPUT), **fields)
    assert uncovered == [], "execution-role requests the check does not ask about:\n" + "\n".join(map(str, uncovered))
