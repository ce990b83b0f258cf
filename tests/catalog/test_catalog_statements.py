"""The guide's policies as package data, and the RequiredStatement / TrustRequirement / Scope values."""

from __future__ import annotations

import dataclasses
import json
from importlib import resources

import pytest

from jupyter_nbjob_iam.catalog import (
    Scope,
    guide_policy,
    required_statements,
    trust_requirement,
    validate_kms_key_arn,
)
from jupyter_nbjob_iam.catalog import statements as statements_module
from jupyter_nbjob_iam.errors import InputError, NbJobIamError

from .catalog_oracle import action_matches, as_list

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ACCOUNT = "123456789012"

IDENTITY_SIDS = [
    "EventBridgeSchedule",
    "IAMPassrole",
    "IAMListRoles",
    "S3ArtifactsAccess",
    "S3DriverAccess",
    "SagemakerJobs",
    "AllowSearch",
    "SagemakerTags",
    "ECRImage",
]
GUIDE_ROLE_SIDS = ["PassroleForJobCreation", "S3ForStoringArtifacts", "S3DriverAccess", "SagemakerJobs", "ECRImage"]
# The guide's five, then what the scheduler's own code paths need beyond them (role_policy_scheduler.json).
ROLE_SIDS = [*GUIDE_ROLE_SIDS, "TagPipelineTrainingJobs"]


def test_counts_and_sids_in_the_guides_order():
    assert [s.sid for s in required_statements("identity")] == IDENTITY_SIDS
    assert [s.sid for s in required_statements("role")] == ROLE_SIDS
    kms = required_statements("kms", KEY)
    assert [s.sid for s in kms] == ["KmsKeyAccess"]
    assert {s.target for s in required_statements("identity")} == {"identity"}
    assert {s.target for s in required_statements("role")} == {"role"}
    assert kms[0].target == "kms"


@pytest.mark.parametrize(
    ("kind", "filename"),
    [
        ("identity", "user_policy.json"),
        ("kms", "kms_policy.json"),
        ("trust", "trust_policy.json"),
        ("role", "role_policy.json"),
    ],
)
def test_packaged_files_are_the_guides_policies_verbatim(guide, kind, filename):
    packaged = json.loads(resources.files("jupyter_nbjob_iam.catalog").joinpath("data", filename).read_text("utf-8"))
    assert packaged == guide[kind]
    assert guide_policy(kind) == guide[kind]
    # Same key order too: the documents are shown to people and written to IAM as they are.
    assert json.dumps(packaged) == json.dumps(guide[kind])


def test_kms_template_keeps_the_guides_placeholder(guide):
    assert guide_policy("kms")["Statement"][0]["Resource"] == "your_KMS_key_ARN"
    assert guide["kms"]["Statement"][0]["Resource"] == "your_KMS_key_ARN"


@pytest.mark.parametrize("target", ["identity", "role"])
def test_statements_are_verbatim(guide, target):
    got = [s.statement for s in required_statements(target)]
    assert got[: len(guide[target]["Statement"])] == guide[target]["Statement"]


def test_the_role_also_needs_to_tag_the_training_jobs_its_pipeline_creates():
    # The pipeline creates a scheduled run's training job as the role, with six tags: AddTags is a
    # dependent action of that create, and the guide's role policy has none. Nothing broader than
    # the pipeline-run jobs' names, and no condition the check could not verify.
    (extra,) = required_statements("role")[len(GUIDE_ROLE_SIDS) :]
    assert extra.statement == {
        "Sid": "TagPipelineTrainingJobs",
        "Effect": "Allow",
        "Action": "sagemaker:AddTags",
        "Resource": "arn:aws:sagemaker:*:*:training-job/pipelines-*",
    }
    assert extra.actions == ("sagemaker:AddTags",)
    assert extra.legacy is False


def test_kms_statement_gets_sid_and_key(guide):
    (stmt,) = required_statements("kms", KEY)
    expected = {"Sid": "KmsKeyAccess", **guide["kms"]["Statement"][0], "Resource": KEY}
    assert stmt.statement == expected
    assert list(stmt.statement)[0] == "Sid"
    assert stmt.legacy is False


def test_kms_actions_expand_the_guides_wildcards():
    (stmt,) = required_statements("kms", KEY)
    assert stmt.actions == (
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:DescribeKey",
        "kms:CreateGrant",
    )


@pytest.mark.parametrize("target", ["identity", "role", "kms"])
def test_actions_are_concrete_and_cover_the_statement(target):
    for stmt in required_statements(target, KEY):
        patterns = as_list(stmt.statement["Action"])
        for action in stmt.actions:
            assert "*" not in action and "?" not in action
            assert any(action_matches(p, action) for p in patterns), (stmt.sid, action)
        for p in patterns:
            assert any(action_matches(p, a) for a in stmt.actions), (stmt.sid, p)
        assert len(set(stmt.actions)) == len(stmt.actions)


def test_only_s3_driver_access_is_legacy():
    for target in ("identity", "role"):
        legacy = [s.sid for s in required_statements(target) if s.legacy]
        assert legacy == ["S3DriverAccess"], target


@pytest.mark.parametrize("target", ["identity", "role", "kms"])
def test_why_is_one_plain_sentence(target):
    for stmt in required_statements(target, KEY):
        why = stmt.why
        assert why and why[0].isupper() and why.endswith("."), stmt.sid
        assert ". " not in why[:-1], f"{stmt.sid}: more than one sentence: {why}"
        assert len(why) <= 140, stmt.sid
        for jargon in ("ARN", "arn:", "iam:", "s3:", "Sid", "policy"):
            assert jargon not in why, f"{stmt.sid}: {jargon!r} in {why!r}"


def test_values_are_frozen_and_fresh_per_call():
    stmt = required_statements("identity")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        stmt.sid = "x"  # type: ignore[misc]
    stmt.statement["Action"].append("events:Everything")
    stmt.statement["Effect"] = "Deny"
    again = required_statements("identity")[0]
    assert again.statement["Effect"] == "Allow"
    assert "events:Everything" not in again.statement["Action"]
    trust = trust_requirement()
    trust.statement["Principal"]["Service"].append("ec2.amazonaws.com")
    assert "ec2.amazonaws.com" not in trust_requirement().statement["Principal"]["Service"]
    assert hash(stmt) == hash(stmt)  # hashable despite the dict field


def test_unknown_target():
    with pytest.raises(InputError) as exc:
        required_statements("everything")
    assert exc.value.status == 400 and exc.value.error_code == "invalid_input"
    with pytest.raises(InputError, match="trust_requirement"):
        required_statements("trust")


def test_trust_requirement(guide):
    trust = trust_requirement()
    assert trust.sid == "TrustRelationship"
    assert trust.services == ("sagemaker.amazonaws.com", "events.amazonaws.com")
    assert trust.statement == guide["trust"]["Statement"][0]
    assert tuple(trust.statement["Principal"]["Service"]) == trust.services


VALID_KMS = [
    KEY,
    "arn:aws:kms:eu-central-1:210987654321:key/mrk-1234abcd12ab34cd56ef1234567890ab",
    "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
]
ALIAS_KMS = [
    "arn:aws:kms:us-east-1:123456789012:alias/my-key",
    "arn:aws:kms:us-east-1:123456789012:alias/team/notebooks_key-2",
]
INVALID_KMS = [
    None,
    "",
    42,
    "1234abcd-12ab-34cd-56ef-1234567890ab",  # a bare key id
    "alias/my-key",  # a bare alias
    "your_KMS_key_ARN",  # the guide's placeholder
    "arn:aws:kms:us-east-1:123456789012:key/*",
    "arn:aws:kms:*:123456789012:key/1234abcd",
    "arn:aws:kms:us-east-1:*:key/1234abcd",
    "arn:aws:kms:us-east-1:123456789012:key/1234?bcd",
    'arn:aws:kms:us-east-1:123456789012:key/1234abcd"',
    "arn:aws:kms:us-east-1:123456789012:key/12'34",
    "arn:aws:kms:us-east-1:123456789012:key/1234 abcd",
    " arn:aws:kms:us-east-1:123456789012:key/1234abcd",
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd\n",
    "arn:aws:kms:us-east-1:12345678901:key/1234abcd",  # 11 digits
    "arn:aws:kms:us-east-1:1234567890123:key/1234abcd",  # 13 digits
    "arn:aws:kms:useast1:123456789012:key/1234abcd",
    "arn:aws:s3:us-east-1:123456789012:key/1234abcd",
    "arn:aws:kms:us-east-1:123456789012:key/",
    "arn:aws:kms:us-east-1:123456789012:key/a/b",
    "arn:aws:kms:us-east-1:123456789012:alias/",
    "arn:aws:kms:us-east-1:123456789012:alias/a//b",
    "arn:aws:kms:us-east-1:123456789012:grant/1234abcd",
    "arn:foo:kms:us-east-1:123456789012:key/1234abcd",
]


@pytest.mark.parametrize("arn", VALID_KMS)
def test_valid_kms_key_arns(arn):
    assert validate_kms_key_arn(arn)
    assert required_statements("kms", arn)[0].statement["Resource"] == arn


@pytest.mark.parametrize("arn", INVALID_KMS)
def test_malformed_kms_key_arns_are_input_errors(arn):
    with pytest.raises(InputError) as exc:
        required_statements("kms", arn)
    assert exc.value.details["field"] == "kms_key_arn"
    assert "KMS key ARN" in exc.value.message
    with pytest.raises(InputError):
        Scope(ACCOUNT, "us-east-1", f"arn:aws:iam::{ACCOUNT}:user/ada", kms_key_arn=arn or "x")


@pytest.mark.parametrize("arn", ALIAS_KMS)
def test_kms_alias_arns_are_refused_with_the_way_to_the_key_arn(arn):
    # An alias ARN in a policy's Resource never matches the key: checking or writing it would be a
    # false "ok" and a statement that grants nothing.
    with pytest.raises(InputError) as exc:
        required_statements("kms", arn)
    assert exc.value.error_code == "kms_alias_not_supported"
    assert exc.value.details["field"] == "kms_key_arn"
    assert "aws kms describe-key" in exc.value.message


def test_scope_accepts_each_principal_kind():
    kinds = {
        f"arn:aws:iam::{ACCOUNT}:user/notebook-users/ada": "user",
        f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_DS_0123": "role",
        f"arn:aws:sts::{ACCOUNT}:federated-user/bob": "federated-user",
        f"arn:aws:iam::{ACCOUNT}:root": "root",
    }
    for arn, kind in kinds.items():
        assert Scope(ACCOUNT, "us-east-1", arn).principal_kind == kind


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"account": "12345"}, "account"),
        ({"region": "US-EAST-1"}, "region"),
        ({"region": "us-east-1 "}, "region"),
        ({"principal_arn": "ada"}, "principal_arn"),
        ({"principal_arn": "arn:aws:iam::999999999999:user/ada"}, "principal_arn"),
        ({"principal_arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/Exec/session"}, "principal_arn"),
        ({"role_arn": "SagemakerJupyterScheduler"}, "role_arn"),
        ({"role_arn": f"arn:aws:iam::{ACCOUNT}:user/ada"}, "role_arn"),
        ({"role_arn": "arn:aws:iam::999999999999:role/Exec"}, "role_arn"),
        ({"role_arn": f"arn:aws:iam::{ACCOUNT}:role/*"}, "role_arn"),
        ({"username": "a b"}, "username"),
        ({"partition": "azure"}, "partition"),
    ],
)
def test_scope_rejects_malformed_input(kwargs, field):
    base = {"account": ACCOUNT, "region": "us-east-1", "principal_arn": f"arn:aws:iam::{ACCOUNT}:user/ada"}
    base.update(kwargs)
    with pytest.raises(InputError) as exc:
        Scope(**base)
    assert exc.value.details["field"] == field


def test_a_validator_complaint_stops_the_load(monkeypatch):
    """The data files go through the evaluator's validate_policy at load; a complaint is an error."""
    seen: list[dict] = []

    def fake_validate(doc):
        seen.append(doc)
        return ["statement 0: something is wrong"]

    monkeypatch.setattr(statements_module, "_validator", lambda: fake_validate)
    statements_module._load.cache_clear()
    try:
        with pytest.raises(NbJobIamError) as exc:
            required_statements("identity")
        assert exc.value.error_code == "catalog_invalid"
        assert "user_policy.json" in exc.value.message
        # The KMS template is validated with a real ARN in place of the guide's placeholder.
        with pytest.raises(NbJobIamError):
            required_statements("kms", KEY)
        assert seen[-1]["Statement"][0]["Resource"].startswith("arn:aws:kms:")
    finally:
        statements_module._load.cache_clear()


def test_a_damaged_trust_file_stops_the_load(monkeypatch):
    damaged = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:*"}]}
    with pytest.raises(NbJobIamError, match="trust"):
        statements_module._check_trust_document(damaged, "trust_policy.json")
    statements_module._check_trust_document(guide_policy("trust"), "trust_policy.json")
