"""Scale: 1,000 roles (GET /nbjob-iam/roles pages through all of them), and a user with 20 attached
managed policies and 10 groups (the check reads every one and answers correctly; with 50 ms added to
every AWS request its reads overlap: it takes under half the time of the same check one call at a time).

The numbers are printed (``pytest -s``); the time bounds are generous sanity checks, not benchmarks
(``benchmarks/bench_check.py`` is the benchmark, and its latency proxy is reused here).
"""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

import pytest

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.aws._tasks import AwsLimiter
from jupyter_nbjob_iam.catalog import guide_policy, required_statements
from jupyter_nbjob_iam.check import run_check

from .hardening_helpers import ROLE, doc, rest, seed, trust

ROLES = 1_000
LATENCY = 0.05


def bench_check():
    """benchmarks/bench_check.py, the project's own benchmark, for its LatencyProxy."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_check.py"
    spec = importlib.util.spec_from_file_location("bench_check", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_roles_endpoint_pages_through_1000_roles(iam, proxy, jp_fetch, use_keys):
    # Given 1,000 roles, a few of them trusting SageMaker, one named as the scheduler's default
    use_keys(seed(iam))
    sagemaker, ec2 = json.dumps(trust("sagemaker.amazonaws.com")), json.dumps(trust("ec2.amazonaws.com"))

    def make(i: int) -> None:
        iam.create_role(RoleName=f"team-role-{i:04d}", AssumeRolePolicyDocument=sagemaker if i % 100 == 0 else ec2)

    for i in range(ROLES - 1):  # one at a time: moto's IAM backend is not made for concurrent writes
        make(i)
    proxy.clear()
    # When the panel lists them
    start = time.monotonic()
    code, body = await rest(jp_fetch, "GET", "roles")
    elapsed = time.monotonic() - start
    # Then every role comes back, page by page, those trusting SageMaker first, the default found
    assert code == 200, body
    assert len(body["roles"]) == ROLES
    pages = proxy.actions().count("iam:ListRoles")
    assert pages >= ROLES // 100, pages  # IAM pages hold at most 100 roles by default
    trusting = [r["trusts_sagemaker"] for r in body["roles"]]
    assert trusting == sorted(trusting, reverse=True) and sum(trusting) == 11
    assert body["default_role_arn"].endswith(f"/{ROLE}")
    print(f"\nGET roles: {ROLES} roles, {pages} ListRoles pages, {elapsed:.2f} s")
    assert elapsed < 30


def big_principal(iam) -> dict[str, str]:
    """ada with 20 attached managed policies and 10 groups (each with an inline and an attached
    policy); the guide's user statements are spread over them, all but ``ECRImage``."""
    keys = seed(iam)
    statements = [s for s in guide_policy("identity")["Statement"] if s["Sid"] != "ECRImage"]
    for i in range(20):
        body = {"Version": "2012-10-17", "Statement": [statements[i]]} if i < 4 else json.loads(doc(f"s3:Get{i}*"))
        arn = iam.create_policy(PolicyName=f"ada-{i:02d}", PolicyDocument=json.dumps(body))["Policy"]["Arn"]
        iam.attach_user_policy(UserName="ada", PolicyArn=arn)
    for g in range(10):
        name = f"group-{g}"
        iam.create_group(GroupName=name)
        iam.add_user_to_group(GroupName=name, UserName="ada")
        held = statements[4 + g] if 4 + g < len(statements) else json.loads(doc(f"s3:List{g}*"))["Statement"][0]
        inline = json.dumps({"Version": "2012-10-17", "Statement": [held]})
        iam.put_group_policy(GroupName=name, PolicyName="inline", PolicyDocument=inline)
        arn = iam.create_policy(PolicyName=f"group-{g}", PolicyDocument=doc(f"sagemaker:List{g}*"))["Policy"]["Arn"]
        iam.attach_group_policy(GroupName=name, PolicyArn=arn)
    # The role holds all it needs: the guide's role policy and what the scheduler needs beyond it.
    role_doc = {"Version": "2012-10-17", "Statement": [s.statement for s in required_statements("role")]}
    iam.put_role_policy(RoleName=ROLE, PolicyName="guide", PolicyDocument=json.dumps(role_doc))
    both = trust("sagemaker.amazonaws.com", "events.amazonaws.com")
    iam.update_assume_role_policy(RoleName=ROLE, PolicyDocument=json.dumps(both))
    return keys


def not_ok(report: dict) -> dict[str, str]:
    return {
        f"{t['target']}/{s['sid']}": s["status"]
        for t in report["targets"]
        for s in t["statements"]
        if s["status"] != "ok" and not s["legacy"]
    }


async def test_user_with_20_policies_and_10_groups_is_checked_correctly(iam, jp_fetch, use_keys):
    # Given ada, whose required statements are spread over 20 attached policies and 10 groups
    use_keys(big_principal(iam))
    # When the panel checks her
    code, report = await rest(jp_fetch, "POST", "check", {"role_arn": ROLE, "engine": "local"})
    # Then exactly the one statement none of them holds is missing
    assert code == 200, report
    assert not_ok(report) == {"identity/ECRImage": "missing"}


@pytest.fixture
def latency(aws_env, iam, monkeypatch):
    """benchmarks/bench_check.py's proxy adding LATENCY to every request, in front of moto (the
    scene-setting ``iam`` client is made before, so it goes to moto directly)."""
    host, port = aws_env.removeprefix("http://").split(":")
    proxy = bench_check().LatencyProxy((host, int(port)), LATENCY)
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{proxy.port}")
    try:
        yield proxy
    finally:
        proxy.close()


def _timed_check(session: AwsSession) -> tuple[float, dict]:
    start = time.monotonic()
    report = run_check(session, role=ROLE, kms_key_arn=None, engine="local").to_json()
    return time.monotonic() - start, report


def test_big_principal_check_reads_concurrently(iam, use_keys, latency):
    # Given the same principal, and 50 ms added to every AWS request
    use_keys(big_principal(iam))
    # When it is checked (best of two: the first also pays for loading botocore's models), and once
    # more with one AWS call at a time
    walls = []
    for _ in range(2):
        before = latency.requests
        wall, report = _timed_check(AwsSession())
        walls.append(wall)
    requests = latency.requests - before
    one_at_a_time, sequential_report = _timed_check(AwsSession(limiter=AwsLimiter(1)))
    # Then it is right, and its ~100 requests overlap: a fixed wall time would measure the machine's
    # load (run 1 of the flake hunt took 64 round trips' time beside two CPU burners), a ratio to the
    # same check one call at a time measures the concurrency
    assert not_ok(report) == not_ok(sequential_report) == {"identity/ECRImage": "missing"}
    concurrent = min(walls)
    print(
        f"\ncheck of 20 policies + 10 groups: {requests} requests, {concurrent:.2f} s "
        f"= {concurrent / LATENCY:.1f} round trips; one call at a time {one_at_a_time:.2f} s"
    )
    assert requests > 60
    assert concurrent < one_at_a_time / 2
