"""Reading a principal's policies over HTTP: users with groups, managed and inline policies,
boundaries, roles; one fetch per managed policy; refused calls; concurrency."""

from __future__ import annotations

import json
import time

import pytest

from jupyter_nbjob_iam.aws import AwsSession, decode_document, read_policies
from jupyter_nbjob_iam.errors import InputError, NotFoundError

from .aws_helpers import ACCOUNT, TRUST_SAGEMAKER, policy


def doc(*actions: str) -> dict:
    return json.loads(policy(*actions))


@pytest.fixture
def managed(iam):
    """Create a customer managed policy allowing ``actions``; return its ARN."""

    def make(name: str, *actions: str, path: str = "/") -> str:
        return iam.create_policy(PolicyName=name, Path=path, PolicyDocument=policy(*actions))["Policy"]["Arn"]

    return make


@pytest.fixture
def alice(iam, managed):
    """A user with a path, two inline policies, two attached managed policies (one shared with
    both groups), and two groups with inline and attached policies."""
    iam.create_user(UserName="alice", Path="/team/")
    iam.put_user_policy(UserName="alice", PolicyName="in1", PolicyDocument=policy("s3:ListBucket"))
    iam.put_user_policy(UserName="alice", PolicyName="in2", PolicyDocument=policy("s3:GetObject"))
    shared = managed("Shared", "sagemaker:CreateTrainingJob", path="/nbjob/")
    own = managed("UserOnly", "events:PutRule")
    g1_only = managed("G1Only", "events:PutTargets")
    iam.attach_user_policy(UserName="alice", PolicyArn=shared)
    iam.attach_user_policy(UserName="alice", PolicyArn=own)
    for group in ("g1", "g2"):
        iam.create_group(GroupName=group)
        iam.add_user_to_group(GroupName=group, UserName="alice")
        iam.attach_group_policy(GroupName=group, PolicyArn=shared)
    iam.put_group_policy(GroupName="g1", PolicyName="g1-inline", PolicyDocument=policy("iam:ListRoles"))
    iam.attach_group_policy(GroupName="g1", PolicyArn=g1_only)
    return {"shared": shared, "own": own, "g1_only": g1_only}


def summary(pp):
    return [(p.source, p.name, p.group) for p in pp.policies]


def test_user_policies_inline_managed_groups_in_order(aws_env, alice):
    pp = read_policies(AwsSession(), "user", "alice")
    assert pp.principal_arn == f"arn:aws:iam::{ACCOUNT}:user/team/alice"
    assert (pp.principal_type, pp.principal_name) == ("user", "alice")
    # Sources come in a fixed order (inline, managed, then group by group); within one list, AWS's
    assert [p.source for p in pp.policies] == [
        "inline",
        "inline",
        "managed",
        "managed",
        "group-inline",
        "group-managed",
        "group-managed",
        "group-managed",
    ]
    assert sorted(summary(pp), key=str) == sorted(
        [
            ("inline", "in1", None),
            ("inline", "in2", None),
            ("managed", "Shared", None),
            ("managed", "UserOnly", None),
            ("group-inline", "g1-inline", "g1"),
            ("group-managed", "Shared", "g1"),
            ("group-managed", "G1Only", "g1"),
            ("group-managed", "Shared", "g2"),
        ],
        key=str,
    )
    assert [p.group for p in pp.policies[4:]] == ["g1", "g1", "g1", "g2"]
    by_name = {(p.source, p.name, p.group): p for p in pp.policies}
    assert by_name[("inline", "in1", None)].document == doc("s3:ListBucket")
    assert by_name[("inline", "in1", None)].arn is None
    shared = by_name[("managed", "Shared", None)]
    assert shared.arn == alice["shared"]
    assert shared.version_id == "v1"
    assert shared.document == doc("sagemaker:CreateTrainingJob")
    assert by_name[("group-inline", "g1-inline", "g1")].document == doc("iam:ListRoles")
    assert pp.groups == ["g1", "g2"]
    assert pp.boundary is None and pp.boundary_arn is None
    assert pp.refused == [] and pp.complete
    assert len(pp.documents()) == 8


def test_each_managed_policy_is_fetched_once_however_often_attached(aws_env, alice, counter):
    # Given "Shared" attached to the user and to both of its groups
    sess = AwsSession()
    calls = counter(sess)
    read_policies(sess, "user", "alice")
    # Then it is read once: three distinct managed policies, three GetPolicy, three GetPolicyVersion
    assert calls.calls["GetPolicy"] == 3
    assert calls.calls["GetPolicyVersion"] == 3
    fetched = sorted(p["PolicyArn"] for name, p in calls.params if name == "GetPolicy")
    assert fetched == sorted(alice.values())


def test_shared_cache_reuses_managed_policies_across_principals(aws_env, iam, alice, counter):
    # Given a role with the same managed policy as alice
    iam.create_role(RoleName="Exec", AssumeRolePolicyDocument=json.dumps(TRUST_SAGEMAKER))
    iam.attach_role_policy(RoleName="Exec", PolicyArn=alice["shared"])
    sess = AwsSession()
    calls = counter(sess)
    cache: dict = {}
    # When both are read with one cache
    user = read_policies(sess, "user", "alice", cache=cache)
    role = read_policies(sess, "role", "Exec", cache=cache)
    # Then "Shared" was fetched once in all
    assert calls.calls["GetPolicy"] == 3
    assert [p.name for p in role.policies] == ["Shared"]
    assert role.policies[0].document == user.policies[2].document


def test_default_version_is_read(aws_env, iam, managed):
    arn = managed("Versioned", "s3:GetObject")
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=policy("s3:PutObject"), SetAsDefault=True)
    iam.create_role(RoleName="Exec", AssumeRolePolicyDocument=json.dumps(TRUST_SAGEMAKER))
    iam.attach_role_policy(RoleName="Exec", PolicyArn=arn)
    pp = read_policies(AwsSession(), "role", "Exec")
    assert pp.policies[0].version_id == "v2"
    assert pp.policies[0].document == doc("s3:PutObject")


def test_role_inline_attached_and_boundary(aws_env, iam, managed):
    boundary = managed("Boundary", "s3:*", "sagemaker:*")
    attached = managed("ExecPolicy", "sagemaker:CreatePipeline")
    iam.create_role(
        RoleName="Exec",
        Path="/service-role/",
        AssumeRolePolicyDocument=json.dumps(TRUST_SAGEMAKER),
        PermissionsBoundary=boundary,
    )
    iam.put_role_policy(RoleName="Exec", PolicyName="inline", PolicyDocument=policy("events:PutRule"))
    iam.attach_role_policy(RoleName="Exec", PolicyArn=attached)
    pp = read_policies(AwsSession(), "role", f"arn:aws:iam::{ACCOUNT}:role/service-role/Exec")
    assert pp.principal_arn == f"arn:aws:iam::{ACCOUNT}:role/service-role/Exec"
    assert summary(pp) == [("inline", "inline", None), ("managed", "ExecPolicy", None)]
    assert pp.boundary is not None
    assert (pp.boundary.source, pp.boundary.name, pp.boundary.arn) == ("boundary", "Boundary", boundary)
    assert pp.boundary.document == doc("s3:*", "sagemaker:*")
    assert pp.boundary_arn == boundary
    assert pp.groups == []


def test_role_boundary_set_after_creation(aws_env, iam, managed):
    boundary = managed("Boundary", "s3:*")
    iam.create_role(RoleName="Exec", AssumeRolePolicyDocument=json.dumps(TRUST_SAGEMAKER))
    iam.put_role_permissions_boundary(RoleName="Exec", PermissionsBoundary=boundary)
    assert read_policies(AwsSession(), "role", "Exec").boundary.arn == boundary


def test_user_boundary(aws_env, iam, managed):
    # moto has no put_user_permissions_boundary (and ignores CreateUser's): inject the boundary into
    # moto's real GetUser answer, so everything else (the boundary policy itself) is read over HTTP.
    boundary = managed("UserBoundary", "s3:*")
    iam.create_user(UserName="bob")
    sess = AwsSession()

    def add_boundary(parsed, **_):
        parsed["User"]["PermissionsBoundary"] = {
            "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
            "PermissionsBoundaryArn": boundary,
        }

    sess.client("iam").meta.events.register("after-call.iam.GetUser", add_boundary)
    pp = read_policies(sess, "user", "bob")
    assert pp.policies == []
    assert pp.boundary.source == "boundary"
    assert pp.boundary.document == doc("s3:*")


@pytest.mark.managed_policies
def test_aws_managed_policy_is_read(aws_env, iam):
    iam.create_user(UserName="dana")
    iam.attach_user_policy(UserName="dana", PolicyArn="arn:aws:iam::aws:policy/AmazonSageMakerFullAccess")
    pp = read_policies(AwsSession(), "user", "dana")
    (p,) = pp.policies
    assert (p.source, p.name, p.arn) == (
        "managed",
        "AmazonSageMakerFullAccess",
        "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess",
    )
    assert isinstance(p.document, dict) and p.document["Statement"]


def test_attached_policies_are_paginated(aws_env, iam, managed, counter):
    # moto does not enforce the 10-per-user quota, which lets one user span two pages
    iam.create_user(UserName="many")
    for i in range(101):
        iam.attach_user_policy(UserName="many", PolicyArn=managed(f"P{i:03d}", "s3:GetObject"))
    sess = AwsSession()
    calls = counter(sess)
    pp = read_policies(sess, "user", "many")
    assert len(pp.policies) == 101
    assert calls.calls["ListAttachedUserPolicies"] == 2


def test_calls_run_concurrently(aws_env, alice, counter, iam, managed):
    # Given 100 ms of latency per call and a user whose policies take 17 calls to read
    sess = AwsSession()
    calls = counter(sess, delay=0.1)
    start = time.monotonic()
    pp = read_policies(sess, "user", "alice")
    elapsed = time.monotonic() - start
    assert len(pp.policies) == 8
    assert calls.total == 17
    # Then the wall time follows the longest chain (ListGroupsForUser -> ListAttachedGroupPolicies
    # -> GetPolicy -> GetPolicyVersion: 4 round trips), not the 17 calls (1.7 s one at a time)
    # (bounded well below one-at-a-time rather than at a tight figure: a busy CI machine slows moto too)
    assert calls.max_in_flight >= 4
    assert elapsed < 0.85 * calls.total * 0.1, elapsed


def test_refused_calls_are_recorded_not_raised(aws_env, iam, alice, make_user, use_keys, moto_auth):
    # Given a reader allowed to list and read inline policies, but not to read managed ones
    use_keys(make_user("reader", inline=policy("iam:List*", "iam:GetUser", "iam:GetUserPolicy")))
    moto_auth()
    # When alice's policies are read
    pp = read_policies(AwsSession(), "user", "alice")
    # Then what could be read is there, and each refused read is named once
    assert summary(pp) == [("inline", "in1", None), ("inline", "in2", None)]
    refused = {(r.action, r.target) for r in pp.refused}
    assert refused == {
        ("iam:GetPolicy", alice["shared"]),
        ("iam:GetPolicy", alice["own"]),
        ("iam:GetPolicy", alice["g1_only"]),
        ("iam:GetGroupPolicy", "g1/g1-inline"),
    }
    assert all(r.error_code == "AccessDenied" for r in pp.refused)
    assert all("iam:GetPolicy" in r.message or "iam:GetGroupPolicy" in r.message for r in pp.refused)
    assert not pp.complete


def test_refused_listing_leaves_the_rest_readable(aws_env, iam, alice, make_user, use_keys, moto_auth):
    use_keys(make_user("reader", inline=policy("iam:ListUserPolicies", "iam:GetUserPolicy", "iam:GetUser")))
    moto_auth()
    pp = read_policies(AwsSession(), "user", "alice")
    assert [p.name for p in pp.policies] == ["in1", "in2"]
    assert {r.action for r in pp.refused} == {"iam:ListAttachedUserPolicies", "iam:ListGroupsForUser"}
    assert pp.principal_arn == f"arn:aws:iam::{ACCOUNT}:user/team/alice"


def test_unknown_principal_is_404(aws_env):
    with pytest.raises(NotFoundError) as info:
        read_policies(AwsSession(), "role", "Ghost")
    assert (info.value.status, info.value.error_code) == (404, "role_not_found")


@pytest.mark.parametrize(
    ("ptype", "name", "fragment"),
    [
        ("group", "x", "principal_type"),
        ("user", f"arn:aws:iam::{ACCOUNT}:role/Exec", "not an IAM user ARN"),
        ("user", "bad name", "not a valid IAM user name"),
    ],
)
def test_bad_arguments_are_input_errors(aws_env, ptype, name, fragment):
    with pytest.raises(InputError, match=fragment):
        read_policies(AwsSession(), ptype, name)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"Version": "2012-10-17"}, {"Version": "2012-10-17"}),
        ('{"Version": "2012-10-17"}', {"Version": "2012-10-17"}),
        ("%7B%22Version%22%3A%20%222012-10-17%22%7D", {"Version": "2012-10-17"}),
        (b'{"Version": "2012-10-17"}', {"Version": "2012-10-17"}),
        ("{not json", "{not json"),  # left for the evaluator to call malformed
        ('["a list"]', '["a list"]'),
    ],
)
def test_decode_document(value, expected):
    assert decode_document(value) == expected
