"""The local engine's rules on policies given directly (no AWS): how statements that read context the
check cannot know are split from the rest, with a permissions boundary, policy variables, malformed
policies and refused reads."""

from __future__ import annotations

import pytest

from jupyter_nbjob_iam.aws import PolicyDoc, PrincipalPolicies, RefusedCall
from jupyter_nbjob_iam.catalog import CheckRequest
from jupyter_nbjob_iam.check.engine_local import LocalEngine, statement_keys

from .check_helpers import ACCOUNT, allow, deny

USER = f"arn:aws:iam::{ACCOUNT}:user/ada"
SEARCH = CheckRequest(
    "identity",
    "AllowSearch",
    "sagemaker:Search",
    "*",
    {"aws:PrincipalArn": USER, "aws:RequestedRegion": "us-east-1", "aws:username": "ada"},
    ("aws:SourceIp", "aws:SourceVpc", "aws:PrincipalTag/*"),
)


def policies(*statements, boundary=None, refused=()) -> PrincipalPolicies:
    docs = [
        PolicyDoc("inline", f"P{i}", None, None, {"Version": "2012-10-17", "Statement": [s]}, None)
        for i, s in enumerate(statements)
    ]
    bound = None
    if boundary is not None:
        bound = PolicyDoc("boundary", "Bound", "arn:aws:iam::123456789012:policy/Bound", None, boundary, "v1")
    return PrincipalPolicies(USER, docs, bound, list(refused), "user", "ada")


def decide(*statements, **kwargs):
    return LocalEngine(policies(*statements, **kwargs)).decide(SEARCH)


OFFICE = {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}


@pytest.mark.parametrize(
    ("statements", "status", "keys"),
    [
        ([allow("sagemaker:Search")], "ok", ()),
        ([allow("s3:*")], "missing", ()),
        ([allow("sagemaker:Search", condition=OFFICE)], "conditional", ("aws:SourceIp",)),
        (
            [allow("sagemaker:Search"), deny("*", condition={"NotIpAddress": OFFICE["IpAddress"]})],
            "conditional",
            ("aws:SourceIp",),
        ),
        # Nothing allows it: a Deny that may apply changes nothing.
        ([deny("*", condition={"NotIpAddress": OFFICE["IpAddress"]})], "missing", ()),
        ([allow("sagemaker:Search"), deny("sagemaker:Search")], "denied", ()),
        ([allow("sagemaker:Search", condition=OFFICE), deny("sagemaker:Search")], "denied", ()),
        # A Deny whose known condition fails cannot apply, whatever the unknown key holds.
        (
            [allow("sagemaker:Search"), deny("*", condition={**OFFICE, "StringEquals": {"aws:username": "bob"}})],
            "ok",
            (),
        ),
        # A policy variable naming an unknown key in the Resource.
        (
            [allow("sagemaker:Search", resource="arn:aws:sagemaker:*:*:${aws:PrincipalTag/team}")],
            "conditional",
            ("aws:PrincipalTag/team",),
        ),
        ([allow("sagemaker:Search", resource="arn:aws:sagemaker:*:*:${aws:username}")], "missing", ()),
    ],
)
def test_identity_statements(statements, status, keys):
    outcome = decide(*statements)
    assert (outcome.status, outcome.unknown_keys) == (status, keys)


def test_a_boundary_allow_that_depends_on_the_network_is_conditional():
    # Given the identity allows Search, and the boundary allows it only from a VPC
    boundary = {
        "Version": "2012-10-17",
        "Statement": [allow("*", condition={"StringEquals": {"aws:SourceVpc": "vpc-1"}})],
    }
    # When decided
    outcome = decide(allow("sagemaker:Search"), boundary=boundary)
    # Then it depends on the VPC
    assert (outcome.status, outcome.unknown_keys) == ("conditional", ("aws:SourceVpc",))
    assert outcome.decided_by[0].source == "boundary"


def test_a_boundary_that_allows_nothing_here_denies_even_without_an_identity_allow():
    boundary = {"Version": "2012-10-17", "Statement": [allow("s3:*")]}
    outcome = decide(allow("s3:*"), boundary=boundary)
    assert outcome.status == "denied"
    assert outcome.decided_by[0].to_json() == {"policy": "Bound", "source": "boundary", "sid": None, "effect": "Deny"}


def test_refused_reads_leave_only_a_firm_deny_certain():
    refused = [RefusedCall("iam:ListGroupsForUser", "AccessDenied", "refused", "ada")]
    allowed = decide(allow("sagemaker:Search"), refused=refused)
    denied = decide(allow("sagemaker:Search"), deny("sagemaker:*"), refused=refused)
    assert allowed.status == "unknown" and "iam:ListGroupsForUser" in allowed.reason
    assert denied.status == "denied"


def test_a_malformed_policy_grants_nothing_and_its_possible_deny_is_unknown():
    # Given a well-formed allow, and a malformed policy (a bad IP) with a Deny that might apply
    bad = deny("sagemaker:Search", condition={"IpAddress": {"aws:SourceIp": "not-an-ip"}})
    engine = LocalEngine(policies(allow("sagemaker:Search"), bad))
    # When decided
    outcome = engine.decide(SEARCH)
    # Then it is not ok, and the notes name the malformed policy
    assert outcome.status == "unknown" and "P1" in outcome.reason
    assert any("P1" in note and "not-an-ip" in note for note in engine.notes())


def test_statement_keys_reads_conditions_and_variables():
    st = allow(
        "s3:*",
        resource="arn:aws:s3:::b/${aws:username}/${aws:PrincipalTag/team, 'none'}/${*}",
        condition={"StringEquals": {"aws:RequestTag/x": "${aws:userid}"}},
    )
    assert statement_keys(st) == ("aws:RequestTag/x", "aws:userid", "aws:username", "aws:PrincipalTag/team")
