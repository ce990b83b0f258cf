"""Finding 7: the fix writes least privilege by default; ``as_guide`` writes the guide's text, said plainly.

The written documents are judged by the project's evaluator: after a default fix the user may pass
only the chosen execution role, and only to the services the scheduler passes it to.
"""

from __future__ import annotations

from jupyter_nbjob_iam.catalog import Scope, required_statements
from jupyter_nbjob_iam.catalog.scoped import scoped_statement
from jupyter_nbjob_iam.cli.fix import format_plan
from jupyter_nbjob_iam.fix import compute_writes
from jupyter_nbjob_iam.fix.merge import merge_trust
from jupyter_nbjob_iam.fix.plan import mode_of
from jupyter_nbjob_iam.fix.state import fold, inline_key
from jupyter_nbjob_iam.policy import ALLOWED, IMPLICIT_DENY, Request, evaluate

from .fixhelp import ACCOUNT, REGION, report

USER_ARN = f"arn:aws:iam::{ACCOUNT}:user/ada"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/service-role/SagemakerJupyterSchedulerRole"
ADMIN_ROLE = f"arn:aws:iam::{ACCOUNT}:role/OrganizationAccountAccessRole"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ROOMY = {"UserPolicySizeQuota": 20480, "RolePolicySizeQuota": 20480}
ALL_MISSING = {
    "identity": {s.sid: "missing" for s in required_statements("identity")},
    "role": {s.sid: "missing" for s in required_statements("role")},
    "kms": {"KmsKeyAccess": "missing"},
}


def _fixed_documents(*, as_guide: bool = False) -> dict[str, dict]:
    """The inline policies a fix of an all-missing report writes: ``{principal type: document}``."""
    rep = report(identity_arn=USER_ARN, role_arn=ROLE_ARN, statuses=ALL_MISSING, kms_key_arn=KEY)
    state = {"attached:user:ada": [], "attached:role:SagemakerJupyterSchedulerRole": []}
    from jupyter_nbjob_iam.fix.collect import collect

    collected = collect(rep, legacy_needed=False, as_guide=as_guide)
    writes, _, _ = compute_writes(rep, state, {"versions": {}}, ROOMY, collected=collected, legacy_needed=False)
    after = fold(state, writes)
    return {
        "user": after[inline_key("user", "ada", "SageMakerNotebookJobs")],
        "role": after[inline_key("role", "SagemakerJupyterSchedulerRole", "SageMakerNotebookJobs")],
    }


def test_a_default_fix_is_scoped_to_the_schedulers_own_folders_and_both_keys():
    # Given a check of custom input and output folders and two KMS keys (output, volume)
    volume_key = KEY.replace("1234abcd", "5678abcd")
    rep = report(identity_arn=USER_ARN, role_arn=ROLE_ARN, statuses=ALL_MISSING, kms_key_arn=[KEY, volume_key])
    rep["inputs"] = {
        "s3_input": {"value": "s3://team-in/notebooks/ada", "source": "setting"},
        "s3_output": {"value": "s3://team-out/results", "source": "setting"},
        "output_kms_key": {"value": KEY, "resolved_arn": KEY, "source": "setting"},
        "volume_kms_key": {"value": "alias/vol", "resolved_arn": volume_key, "source": "setting"},
    }
    state = {"attached:user:ada": [], "attached:role:SagemakerJupyterSchedulerRole": []}
    writes, _, _ = compute_writes(rep, state, {"versions": {}}, ROOMY, legacy_needed=False)
    user = fold(state, writes)[inline_key("user", "ada", "SageMakerNotebookJobs")]

    def decide(action: str, resource: str) -> str:
        return evaluate(Request(action, resource, USER_ARN, {}), [user]).decision

    # Then S3 is allowed under the folders only, and KMS on both keys only
    assert decide("s3:PutObject", "arn:aws:s3:::team-in/notebooks/ada/job-1/input/nb.ipynb") == ALLOWED
    assert decide("s3:GetObject", "arn:aws:s3:::team-out/results/job-1/output/nb.ipynb") == ALLOWED
    assert decide("s3:ListBucket", "arn:aws:s3:::team-out") == ALLOWED
    assert decide("s3:PutObject", "arn:aws:s3:::team-in/someone-else/x") == IMPLICIT_DENY
    assert decide("s3:PutObject", f"arn:aws:s3:::sagemaker-automated-execution-{ACCOUNT}-{REGION}/x") == (IMPLICIT_DENY)
    assert decide("kms:Decrypt", KEY) == ALLOWED and decide("kms:Decrypt", volume_key) == ALLOWED
    assert decide("kms:Decrypt", KEY.replace("1234abcd", "9999abcd")) == IMPLICIT_DENY


def _pass(role_arn: str, service: str, principal: str = USER_ARN) -> Request:
    return Request("iam:PassRole", role_arn, principal, {"iam:PassedToService": service})


def test_after_a_default_fix_the_user_may_pass_only_the_chosen_role():
    # Given the documents a default (least-privilege) fix writes
    docs = _fixed_documents()
    # When the evaluator decides PassRole requests
    # Then the chosen role may be passed to SageMaker and EventBridge ...
    for service in ("sagemaker.amazonaws.com", "events.amazonaws.com"):
        assert evaluate(_pass(ROLE_ARN, service), [docs["user"]]).decision == ALLOWED
    # ... but no other role (an administrator's), and the chosen one to no other service
    assert evaluate(_pass(ADMIN_ROLE, "sagemaker.amazonaws.com"), [docs["user"]]).decision == IMPLICIT_DENY
    assert evaluate(_pass(ROLE_ARN, "lambda.amazonaws.com"), [docs["user"]]).decision == IMPLICIT_DENY
    # And the execution role may pass only itself, only to SageMaker
    role = docs["role"]
    assert evaluate(_pass(ROLE_ARN, "sagemaker.amazonaws.com", ROLE_ARN), [role]).decision == ALLOWED
    assert evaluate(_pass(ADMIN_ROLE, "sagemaker.amazonaws.com", ROLE_ARN), [role]).decision == IMPLICIT_DENY
    assert evaluate(_pass(ROLE_ARN, "events.amazonaws.com", ROLE_ARN), [role]).decision == IMPLICIT_DENY


def test_a_default_fix_limits_s3_to_the_scheduler_bucket_and_kms_to_the_key():
    docs = _fixed_documents()
    bucket = f"sagemaker-automated-execution-{ACCOUNT}-{REGION}"

    def decide(action: str, resource: str) -> str:
        return evaluate(Request(action, resource, USER_ARN, {}), [docs["user"]]).decision

    assert decide("s3:PutObject", f"arn:aws:s3:::{bucket}/job-1/input/nb.ipynb") == ALLOWED
    assert decide("s3:ListBucket", f"arn:aws:s3:::{bucket}") == ALLOWED
    assert decide("s3:PutObject", "arn:aws:s3:::sagemaker-automated-execution-999999999999-us-east-1/x") == (
        IMPLICIT_DENY
    )
    assert decide("kms:Decrypt", KEY) == ALLOWED
    assert decide("kms:Decrypt", KEY.replace("1234abcd", "9999abcd")) == IMPLICIT_DENY


def test_as_guide_writes_the_guides_text_and_the_preview_warns_what_it_grants():
    # Given the documents a fix "as the guide" writes
    docs = _fixed_documents(as_guide=True)
    # Then any role may be passed (the guide's arn:aws:iam::*:role/*): the escalation path ...
    assert evaluate(_pass(ADMIN_ROLE, "sagemaker.amazonaws.com"), [docs["user"]]).decision == ALLOWED
    # ... which the preview says in plain words
    writes = [{"adds_sids": [s["Sid"] for s in docs["user"]["Statement"]], "after": docs["user"]}]
    mode = mode_of(writes, [], True)
    assert mode["name"] == "as_guide"
    assert any("iam:PassRole on every role" in w and "privilege-escalation" in w for w in mode["warnings"])
    text = format_plan({"plan_id": "0" * 64, "account": ACCOUNT, "region": REGION, "writes": [], "mode": mode})
    assert "Mode: As in the AWS guide (--as-guide)" in text and "WARNING: IAMPassrole" in text
    plain = format_plan(
        {"plan_id": "0" * 64, "account": ACCOUNT, "region": REGION, "writes": [], "mode": mode_of([], [], False)}
    )
    assert "Mode: Least privilege (the default)" in plain and "WARNING" not in plain


def test_passrole_is_scoped_to_the_default_role_name_when_none_is_chosen():
    scope = Scope(account=ACCOUNT, region=REGION, principal_arn=USER_ARN)
    (passrole,) = [s for s in required_statements("identity") if s.sid == "IAMPassrole"]
    scoped = scoped_statement(passrole.statement, scope)
    assert scoped["Resource"] == f"arn:aws:iam::{ACCOUNT}:role/SagemakerJupyterScheduler"


def test_a_service_added_to_a_guarded_trust_keeps_the_guard():
    # Given a trust policy whose SageMaker trust is guarded against the confused deputy
    guard = {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:*"},
    }
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "sagemaker.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": guard,
            }
        ],
    }
    # When EventBridge is added
    merged = merge_trust(trust, ["sagemaker.amazonaws.com", "events.amazonaws.com"])
    # Then it gets a statement of its own with the same conditions; the first is unchanged
    assert merged.added == ["events.amazonaws.com"]
    assert merged.guarded == "aws:SourceAccount and aws:SourceArn"
    first, added = merged.document["Statement"]
    assert first == trust["Statement"][0]
    assert added == {
        "Effect": "Allow",
        "Principal": {"Service": ["events.amazonaws.com"]},
        "Action": "sts:AssumeRole",
        "Condition": guard,
    }
