"""Properties of the decision that must hold for any well-formed policies and request."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_nbjob_iam.policy import Request, evaluate

ACTIONS = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "iam:PassRole",
    "ec2:RunInstances",
    "sagemaker:CreatePipeline",
]
ACTION_PATTERNS = ACTIONS + [
    "s3:*",
    "s3:Get*",
    "*",
    "iam:Pass*",
    "sagemaker:*Pipeline",
    "ec2:Run?nstances",
    "S3:getobject",
]
RESOURCES = [
    "arn:aws:s3:::b/k",
    "arn:aws:s3:::b",
    "arn:aws:s3:::other/k",
    "*",
    "arn:aws:iam::123456789012:role/r",
    "arn:aws:s3:::b/alice",
]
RESOURCE_PATTERNS = RESOURCES + [
    "arn:aws:s3:::b*",
    "arn:aws:s3:::b/${aws:username}",
    "arn:aws:iam::*:role/*",
    "arn:aws:s3:::b/${aws:PrincipalTag/team, 'k'}",
]
CONDITIONS = [
    {"StringEquals": {"aws:username": "alice"}},
    {"StringNotEquals": {"aws:username": ["alice", "bob"]}},
    {"StringLike": {"aws:username": "a*"}},
    {"StringLike": {"custom:path": "home/${aws:username}/*"}},
    {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}},
    {"ForAnyValue:StringLike": {"aws:TagKeys": "te*"}},
    {"StringEqualsIfExists": {"aws:username": "bob"}},
    {"Bool": {"aws:SecureTransport": "true"}},
    {"Null": {"aws:username": "true"}},
    {"NumericLessThan": {"custom:n": "10"}},
    {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    {"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}},
    {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}},
]
CONTEXT_VALUES = {
    "aws:username": st.sampled_from(["alice", "bob", "carol"]),
    "aws:TagKeys": st.lists(st.sampled_from(["team", "env", "owner"]), max_size=3, unique=True),
    "custom:n": st.sampled_from(["5", "50"]),
    "custom:path": st.sampled_from(["home/alice/x", "home/bob/y"]),
    "aws:SourceIp": st.sampled_from(["10.1.2.3", "192.168.1.1", "2001:db8::9"]),
    "aws:SecureTransport": st.sampled_from(["true", "false"]),
    "aws:CurrentTime": st.sampled_from(["2024-05-01T00:00:00Z", "2031-01-01T00:00:00Z"]),
}


def _one_or_list(values: list[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else values


@st.composite
def statements(draw, effect=None):
    statement = {"Effect": effect or draw(st.sampled_from(["Allow", "Deny"]))}
    action_key = draw(st.sampled_from(["Action", "Action", "NotAction"]))
    statement[action_key] = _one_or_list(draw(st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=3)))
    resource_key = draw(st.sampled_from(["Resource", "Resource", "NotResource"]))
    statement[resource_key] = _one_or_list(draw(st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=3)))
    condition: dict = {}
    for block in draw(st.lists(st.sampled_from(CONDITIONS), max_size=2)):
        for operator, keys in block.items():
            condition.setdefault(operator, {}).update(keys)
    if condition:
        statement["Condition"] = condition
    return statement


def _policy(stmts: list[dict]) -> dict:
    return {"Version": "2012-10-17", "Statement": stmts}


def _with_sids(policies: list[list[dict]]) -> list[dict]:
    """Give every statement a Sid unique across all policies, so reports can be compared by Sid."""
    counter = iter(range(10_000))
    return [_policy([{**s, "Sid": f"S{next(counter)}"} for s in stmts]) for stmts in policies]


policy_sets = st.lists(st.lists(statements(), min_size=0, max_size=4), min_size=1, max_size=3).map(_with_sids)
boundaries = st.one_of(
    st.none(),
    st.lists(statements(), min_size=1, max_size=3).map(
        lambda stmts: _policy([{**s, "Sid": f"B{i}"} for i, s in enumerate(stmts)])
    ),
)


@st.composite
def requests(draw):
    keys = draw(st.lists(st.sampled_from(sorted(CONTEXT_VALUES)), unique=True))
    context = {key: draw(CONTEXT_VALUES[key]) for key in keys}
    return Request(draw(st.sampled_from(ACTIONS)), draw(st.sampled_from(RESOURCES)), context=context)


def summary(result):
    return (result.decision, {m.sid for m in result.matched}, {k.lower() for k in result.missing_context})


PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


@PROPERTY_SETTINGS
@given(policy_sets, boundaries, requests(), st.randoms(use_true_random=False))
def test_statement_and_policy_order_never_matter(policies, boundary, request, rnd):
    # Given policies and the same policies with statements and policies shuffled
    shuffled = [_policy(rnd.sample(p["Statement"], len(p["Statement"]))) for p in policies]
    rnd.shuffle(shuffled)

    # When both are evaluated
    before = evaluate(request, policies, boundary)
    after = evaluate(request, shuffled, boundary)

    # Then the decision, the deciding statements and the missing context are the same
    assert before.errors == () and after.errors == ()
    assert summary(before) == summary(after)


@PROPERTY_SETTINGS
@given(policy_sets, boundaries, requests(), statements(effect="Deny"), st.booleans())
def test_adding_a_deny_never_turns_a_decision_into_allowed(policies, boundary, request, deny, to_boundary):
    before = evaluate(request, policies, boundary)
    denied = {**deny, "Sid": "AddedDeny"}
    if to_boundary and boundary is not None:
        after = evaluate(request, policies, _policy(boundary["Statement"] + [denied]))
    else:
        after = evaluate(request, policies[:-1] + [_policy(policies[-1]["Statement"] + [denied])], boundary)
    if after.decision == "allowed":
        assert before.decision == "allowed"
    if before.decision == "explicitDeny":
        assert after.decision == "explicitDeny"


@PROPERTY_SETTINGS
@given(policy_sets, boundaries, requests(), statements(effect="Allow"), st.booleans())
def test_adding_an_allow_never_turns_allowed_into_a_deny(policies, boundary, request, allow, to_boundary):
    before = evaluate(request, policies, boundary)
    allowed = {**allow, "Sid": "AddedAllow"}
    if to_boundary and boundary is not None:
        after = evaluate(request, policies, _policy(boundary["Statement"] + [allowed]))
    else:
        after = evaluate(request, policies + [_policy([allowed])], boundary)
    if before.decision == "allowed":
        assert after.decision == "allowed"
    if before.decision == "explicitDeny":
        assert after.decision == "explicitDeny"


@PROPERTY_SETTINGS
@given(policy_sets, boundaries, requests(), st.integers(min_value=0, max_value=4))
def test_a_policy_as_json_text_decides_like_the_dict(policies, boundary, request, indent):
    as_text = [json.dumps(p, indent=indent or None) for p in policies]
    boundary_text = json.dumps(boundary) if boundary is not None else None

    from_dicts = evaluate(request, policies, boundary)
    from_text = evaluate(request, as_text, boundary_text)

    assert from_dicts == from_text
