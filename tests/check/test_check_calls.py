"""How the check talks to AWS: one GetCallerIdentity, each managed policy fetched once however often
it is attached, and independent calls overlapping (wall time in round trips, not in calls)."""

from __future__ import annotations

import time

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.check import check, run_check

from .check_helpers import BOTH, allow, doc


def test_one_caller_identity_and_each_managed_policy_once(ada, iam, make_role, managed, counter):
    # Given one managed policy attached to ada, to her group and to the role, plus one each of their own
    shared = managed("Shared", doc(allow("sagemaker:Search")))
    mine = managed("Mine", doc(allow("iam:ListRoles")))
    theirs = managed("Theirs", doc(allow("ecr:*")))
    iam.create_group(GroupName="team")
    iam.attach_group_policy(GroupName="team", PolicyArn=shared)
    role = make_role("Exec", path="/service-role/", services=BOTH, attached=[shared, theirs])
    ada(attached=[shared, mine], groups=["team"])
    sess = AwsSession()
    calls = counter(sess)
    # When checked, by ARN (which is validated against the caller's account)
    report = run_check(sess, role=role, engine="local")
    # Then the caller was asked once, and each of the three policies fetched once
    assert calls.calls["GetCallerIdentity"] == 1
    assert calls.calls["GetPolicy"] == calls.calls["GetPolicyVersion"] == 3
    fetched = sorted(p["PolicyArn"] for name, p in calls.params if name == "GetPolicyVersion")
    assert fetched == sorted([shared, mine, theirs])
    assert report.statuses()["identity"]["AllowSearch"] == "ok"


def test_a_shared_policy_cache_spans_checks(ada, managed, counter):
    # Given ada with one managed policy, and a cache shared by two checks
    ada(attached=[managed("Shared", doc(allow("sagemaker:Search")))])
    sess = AwsSession()
    calls = counter(sess)
    cache: dict = {}
    # When checked twice with the same cache
    run_check(sess, engine="local", policy_cache=cache)
    run_check(sess, engine="local", policy_cache=cache)
    # Then the policy was fetched once
    assert calls.calls["GetPolicyVersion"] == 1


def test_calls_overlap_so_wall_time_follows_round_trips_not_calls(ada, iam, make_role, managed, counter):
    # Given ada with 10 attached policies and 5 groups (each with an inline and an attached policy),
    # a role with 3 attached policies, and 100 ms per AWS call
    arns = [managed(f"P{i}", doc(allow("sagemaker:Search"))) for i in range(13)]
    for g in range(5):
        iam.create_group(GroupName=f"g{g}")
        iam.put_group_policy(GroupName=f"g{g}", PolicyName="inline", PolicyDocument=doc(allow("s3:ListBucket")))
        iam.attach_group_policy(GroupName=f"g{g}", PolicyArn=managed(f"G{g}", doc(allow("events:PutRule"))))
    make_role("Exec", services=BOTH, attached=arns[10:])
    ada(attached=arns[:10], groups=[f"g{g}" for g in range(5)])
    latency = 0.1
    sess = AwsSession()
    calls = counter(sess, delay=latency)
    # When checked with the default concurrency, then one call at a time
    start = time.monotonic()
    check(sess, role="Exec", engine="local")
    concurrent = time.monotonic() - start
    total, most = calls.total, calls.max_in_flight
    calls.delay = latency
    start = time.monotonic()
    check(sess, role="Exec", engine="local", max_workers=1, policy_cache={})
    one_at_a_time = time.monotonic() - start
    # Then independent calls overlapped (the user's longest chain is 5: GetCallerIdentity,
    # ListGroupsForUser, ListAttachedGroupPolicies, GetPolicy, GetPolicyVersion), while one call at a
    # time takes one round trip per call. Compared with each other, not with a fixed time, so a busy
    # machine slows both alike (the absolute numbers are benchmarks/bench_check.py's to report).
    assert total > 40 and most > 10
    assert one_at_a_time > total * latency * 0.9
    assert concurrent * 3 < one_at_a_time, (concurrent, one_at_a_time)
    print(f"{total} calls, {most} at once: {concurrent:.2f} s concurrent, {one_at_a_time:.2f} s one at a time")
