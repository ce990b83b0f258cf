"""Pure merging: only ever append; the same-Sid rule; trust principals merged, never removed."""

from __future__ import annotations

import copy

import pytest

from jupyter_nbjob_iam.catalog import required_statements
from jupyter_nbjob_iam.fix.merge import MergeError, merge_statements, merge_trust, same_statement

from .fixhelp import allow, doc

GUIDE = {s.sid: s.statement for s in required_statements("identity")}


def test_a_new_policy_gets_the_guides_statements_verbatim():
    # Given no policy yet
    # When two guide statements are merged in
    merged = merge_statements(None, [GUIDE["EventBridgeSchedule"], GUIDE["IAMPassrole"]])
    # Then the new policy holds exactly them, in order, Sids unchanged
    assert merged.document == doc(GUIDE["EventBridgeSchedule"], GUIDE["IAMPassrole"])
    assert merged.added == [("EventBridgeSchedule", "EventBridgeSchedule"), ("IAMPassrole", "IAMPassrole")]


def test_existing_statements_are_kept_exactly_and_new_ones_appended():
    # Given the tool's policy with someone's statement (a lone object, not a list)
    existing = {"Version": "2012-10-17", "Statement": allow("s3:GetObject", sid="Mine")}
    before = copy.deepcopy(existing)
    # When a guide statement is merged
    merged = merge_statements(existing, [GUIDE["AllowSearch"]])
    # Then the input is untouched and the result is the old statement followed by the new one
    assert existing == before
    assert merged.document["Statement"] == [allow("s3:GetObject", sid="Mine"), GUIDE["AllowSearch"]]


def test_an_identical_statement_is_not_added_twice_even_written_differently():
    # Given the guide's statement already there, its single action written as a list
    present = copy.deepcopy(GUIDE["IAMListRoles"])
    present["Action"] = ["iam:ListRoles"]
    # When it is merged again
    merged = merge_statements(doc(present), [GUIDE["IAMListRoles"]])
    # Then nothing is added
    assert merged.added == []
    assert merged.present_index == [0]
    assert merged.document == doc(present)


def test_same_sid_but_different_statement_is_kept_and_the_guides_added_under_a_suffixed_sid():
    # Given an older, narrower EventBridgeSchedule (and an EventBridgeSchedule2 already taken)
    older = {"Sid": "EventBridgeSchedule", "Effect": "Allow", "Action": "events:PutRule", "Resource": "*"}
    other = {"Sid": "EventBridgeSchedule2", "Effect": "Allow", "Action": "events:DescribeRule", "Resource": "*"}
    # When the guide's statement is merged
    merged = merge_statements(doc(older, other), [GUIDE["EventBridgeSchedule"]])
    # Then both old statements stay as they were and the guide's is added as EventBridgeSchedule3
    added = dict(GUIDE["EventBridgeSchedule"], Sid="EventBridgeSchedule3")
    assert merged.document["Statement"] == [older, other, added]
    assert merged.added == [("EventBridgeSchedule", "EventBridgeSchedule3")]
    # And a second merge adds nothing more (the suffixed copy counts as present)
    assert merge_statements(merged.document, [GUIDE["EventBridgeSchedule"]]).added == []


def test_two_required_statements_with_one_sid_are_both_added():
    # Given the guide's user and role statements named SagemakerJobs (one role can need both)
    role_jobs = {s.sid: s.statement for s in required_statements("role")}["SagemakerJobs"]
    # When both are merged into one policy
    merged = merge_statements(None, [GUIDE["SagemakerJobs"], role_jobs])
    # Then both are there, the second under a suffixed Sid
    assert merged.added == [("SagemakerJobs", "SagemakerJobs"), ("SagemakerJobs", "SagemakerJobs2")]
    assert merged.added_index == [0, 1]


@pytest.mark.parametrize("bad", ["not json", ["a", "list"], {"Version": "2012-10-17", "Statement": "x"}])
def test_a_document_that_is_not_a_policy_object_is_refused(bad):
    with pytest.raises(MergeError):
        merge_statements(bad, [GUIDE["AllowSearch"]])


def test_same_statement_ignores_sid_and_list_order_only():
    a = allow("s3:GetObject", "s3:PutObject", sid="A")
    b = allow("s3:PutObject", "s3:GetObject", sid="B")
    assert same_statement(a, b)
    assert not same_statement(a, allow("s3:GetObject"))


# -- trust ---------------------------------------------------------------------------------------


def test_a_missing_service_extends_the_plain_service_statement():
    # Given a trust policy trusting SageMaker as a plain string
    trust = doc({"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"})
    # When events is merged in
    merged = merge_trust(trust, ["sagemaker.amazonaws.com", "events.amazonaws.com"])
    # Then the same statement now lists both; nothing else changed
    assert merged.added == ["events.amazonaws.com"]
    assert merged.document == doc(
        {
            "Effect": "Allow",
            "Principal": {"Service": ["sagemaker.amazonaws.com", "events.amazonaws.com"]},
            "Action": "sts:AssumeRole",
        }
    )


def test_a_conditional_or_mixed_trust_statement_is_left_alone_and_a_new_one_appended():
    # Given a trust statement with a condition and an account principal, and a Deny
    conditioned = {
        "Effect": "Allow",
        "Principal": {"Service": "sagemaker.amazonaws.com", "AWS": "arn:aws:iam::123456789012:root"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
    }
    deny = {"Effect": "Deny", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    # When both services are merged
    merged = merge_trust(doc(conditioned, deny), ["sagemaker.amazonaws.com", "events.amazonaws.com"])
    # Then the old statements are untouched and one plain statement grants both
    assert merged.document["Statement"][:2] == [conditioned, deny]
    assert merged.document["Statement"][2] == {
        "Effect": "Allow",
        "Principal": {"Service": ["sagemaker.amazonaws.com", "events.amazonaws.com"]},
        "Action": "sts:AssumeRole",
    }


def test_trust_that_already_has_both_services_is_unchanged():
    trust = doc(
        {
            "Effect": "Allow",
            "Principal": {"Service": ["events.amazonaws.com", "sagemaker.amazonaws.com"]},
            "Action": ["sts:AssumeRole"],
        }
    )
    merged = merge_trust(trust, ["sagemaker.amazonaws.com", "events.amazonaws.com"])
    assert merged.added == []
    assert merged.document == trust


# -- a document without Version 2012-10-17 is never re-versioned ---------------------------------

VERSIONLESS = {
    "Statement": [
        {"Sid": "Home", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}
    ]
}


@pytest.mark.parametrize("version", [None, "2008-10-17"])
def test_a_policy_without_version_2012_is_not_extended(version):
    # Given the tool's policy without Version (or with 2008-10-17): IAM reads ${...} in it literally
    existing = copy.deepcopy(VERSIONLESS)
    if version:
        existing["Version"] = version
    # When a guide statement is merged into it
    # Then the merge refuses in plain words rather than add a Version that would make ${...} live
    with pytest.raises(MergeError, match="Version 2012-10-17"):
        merge_statements(existing, [GUIDE["AllowSearch"]], what="inline policy SageMakerNotebookJobs")


def test_a_versionless_tool_policy_is_skipped_and_decides_exactly_as_before():
    from jupyter_nbjob_iam.fix import compute_writes
    from jupyter_nbjob_iam.fix.state import fold, inline_key
    from jupyter_nbjob_iam.policy import Request, compile_policies, evaluate

    from .fixhelp import report

    # Given ada's SageMakerNotebookJobs without a Version, granting a literal ".../${aws:username}/*"
    user_arn = "arn:aws:iam::123456789012:user/ada"
    state = {inline_key("user", "ada", "SageMakerNotebookJobs"): VERSIONLESS, "attached:user:ada": []}
    rep = report(identity_arn=user_arn, statuses={"identity": {"AllowSearch": "missing"}})
    # When the fix is planned
    writes, skipped, _ = compute_writes(rep, state, {"versions": {}}, {}, legacy_needed=True)
    # Then nothing is written to it, and the skip says why
    assert writes == []
    (skip,) = [s for s in skipped if s["sid"] == "AllowSearch"]
    assert "Version 2012-10-17" in skip["reason"]
    # And the evaluator decides ada's home folder exactly as before (still a literal, not a variable)
    probe = Request("s3:GetObject", "arn:aws:s3:::home/ada/notes.txt", user_arn, {"aws:username": "ada"})
    before = evaluate(probe, compile_policies([VERSIONLESS]))
    after_doc = fold(state, writes)[inline_key("user", "ada", "SageMakerNotebookJobs")]
    assert evaluate(probe, compile_policies([after_doc])).decision == before.decision
    assert after_doc == VERSIONLESS


def test_a_versionless_trust_policy_keeps_having_no_version():
    # Given a trust policy without Version
    trust = {
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ]
    }
    # When a service is merged in
    merged = merge_trust(trust, ["events.amazonaws.com"])
    # Then the service is added and no Version appears
    assert "Version" not in merged.document
    assert merged.added == ["events.amazonaws.com"]
