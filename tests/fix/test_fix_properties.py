"""Property: the fix never takes a permission away and always grants what the scheduler needs.

For generated existing policies (the tool's own policy, other inline policies, with Allows, Denies,
conditions and same-Sid collisions), the planner's writes are folded into the state, and the
evaluator decides a set of probe requests before and after:

- every request allowed before is still allowed after; every explicit deny stays an explicit deny;
- every request the scheduler makes (the guide's statements, ``catalog.build_requests``) is allowed
  after, since the generated Denies never touch those actions.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyter_nbjob_iam.catalog import Scope, build_requests, required_statements
from jupyter_nbjob_iam.fix import compute_writes
from jupyter_nbjob_iam.fix.merge import merge_trust, trusted_services
from jupyter_nbjob_iam.fix.sizes import ATTACHED_QUOTA_KEYS
from jupyter_nbjob_iam.fix.state import fold, inline_key, managed_key
from jupyter_nbjob_iam.policy import ALLOWED, EXPLICIT_DENY, Request, compile_policies, evaluate

ACCOUNT = "123456789012"
USER_ARN = f"arn:aws:iam::{ACCOUNT}:user/ada"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/service-role/SagemakerJupyterSchedulerRole"
SCOPE = Scope(account=ACCOUNT, region="us-east-1", principal_arn=USER_ARN, role_arn=ROLE_ARN, username="ada")
GUIDE = required_statements("identity")


def _requests(stmt) -> list[Request]:
    return [Request(r.action, r.resource, USER_ARN, r.context) for r in build_requests(stmt, SCOPE)]


REQUIRED = [r for s in GUIDE for r in _requests(s)]
GUIDE_SIDS = [s.sid for s in GUIDE]
NEEDED_ACTIONS = sorted({a for s in GUIDE for a in s.actions})
UNRELATED_ACTIONS = ["ec2:RunInstances", "dynamodb:GetItem", "s3:DeleteBucket", "logs:PutLogEvents", "iam:CreateUser"]
WILDCARDS = ["s3:*", "events:Put*", "sagemaker:Describe*", "ecr:*", "iam:List*"]
RESOURCES = [
    "*",
    "arn:aws:s3:::sagemaker-automated-execution-*",
    "arn:aws:s3:::other-bucket/*",
    "arn:aws:iam::*:role/*",
    "arn:aws:sagemaker:*:*:training-job/*",
    "arn:aws:events:*:*:rule/*",
]
CONDITIONS = [
    None,
    {"StringEquals": {"aws:ResourceTag/sagemaker:is-scheduling-notebook-job": "true"}},
    {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}},
    {"StringLike": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
]
# Probe requests besides the required ones: needed and unrelated actions on every resource shape.
PROBES = REQUIRED + [
    Request(action=a, resource=r, principal=USER_ARN, context={"aws:RequestedRegion": "us-east-1"})
    for a in NEEDED_ACTIONS[::3] + UNRELATED_ACTIONS
    for r in RESOURCES
]


@st.composite
def allow_statements(draw):
    actions = draw(st.lists(st.sampled_from(NEEDED_ACTIONS + UNRELATED_ACTIONS + WILDCARDS), min_size=1, max_size=4))
    stmt = {"Effect": "Allow", "Action": actions if len(actions) > 1 else actions[0]}
    stmt["Resource"] = draw(st.sampled_from(RESOURCES))
    condition = draw(st.sampled_from(CONDITIONS))
    if condition:
        stmt["Condition"] = condition
    sid = draw(st.one_of(st.none(), st.sampled_from(GUIDE_SIDS), st.from_regex(r"[A-Z][a-z]{2,6}", fullmatch=True)))
    if sid:
        stmt["Sid"] = sid
    return stmt


@st.composite
def deny_statements(draw):
    actions = draw(st.lists(st.sampled_from(UNRELATED_ACTIONS), min_size=1, max_size=2, unique=True))
    return {"Effect": "Deny", "Action": actions, "Resource": draw(st.sampled_from(RESOURCES))}


@st.composite
def policies(draw):
    stmts = draw(st.lists(st.one_of(allow_statements(), allow_statements(), deny_statements()), min_size=1, max_size=5))
    seen: set[str] = set()
    for s in stmts:  # IAM requires unique Sids within a policy
        if "Sid" in s and s["Sid"] in seen:
            del s["Sid"]
        seen.add(s.get("Sid", ""))
    return {"Version": "2012-10-17", "Statement": stmts}


def _status(stmt, documents) -> str:
    compiled = compile_policies(documents)
    allowed = [evaluate(r, compiled).decision == ALLOWED for r in _requests(stmt)]
    return "ok" if all(allowed) else ("partial" if any(allowed) else "missing")


def _report(documents) -> dict:
    statements = [
        {"sid": s.sid, "status": _status(s, documents), "legacy": s.legacy, "statement": s.statement} for s in GUIDE
    ]
    return {
        "account": ACCOUNT,
        "region": "us-east-1",
        "identity": {"arn": USER_ARN, "kind": "user", "principal_arn": USER_ARN, "editable": True},
        "role": {"arn": ROLE_ARN, "editable": True},
        "targets": [{"target": "identity", "principal_arn": USER_ARN, "statements": statements}],
    }


def _documents(state: dict) -> list:
    docs = [v for k, v in state.items() if k.startswith("inline:")]
    docs += [v["document"] for k, v in state.items() if k.startswith("managed:") and v.get("exists")]
    return docs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tool_policy=st.one_of(st.none(), policies()),
    others=st.lists(policies(), max_size=2),
    tight_budget=st.booleans(),
)
def test_the_fix_only_adds_and_grants_every_required_request(tool_policy, others, tight_budget):
    # Given a user holding the tool's policy (maybe) and other inline policies
    state: dict = {"attached:user:ada": []}
    if tool_policy is not None:
        state[inline_key("user", "ada", "SageMakerNotebookJobs")] = tool_policy
    for i, other in enumerate(others):
        state[inline_key("user", "ada", f"Other{i}")] = other
    arn = f"arn:aws:iam::{ACCOUNT}:policy/SageMakerNotebookJobs-user-ada"
    state[managed_key(arn)] = {"exists": False}
    before_docs = _documents(state)
    # (a tight budget sends the statements to a new managed policy, a roomy one into the tool's policy)
    quotas = {"UserPolicySizeQuota": 300 if tight_budget else 20480, ATTACHED_QUOTA_KEYS["user"]: 10}
    # When the fix is planned for the check's statuses and its writes land
    writes, skipped, blocked = compute_writes(_report(before_docs), state, {"versions": {}}, quotas, legacy_needed=True)
    after_docs = _documents(fold(state, writes))
    # Then nothing allowed before is denied after, no explicit deny is lifted ...
    before_c, after_c = compile_policies(before_docs), compile_policies(after_docs)
    for probe in PROBES:
        before = evaluate(probe, before_c).decision
        after = evaluate(probe, after_c).decision
        if before == ALLOWED:
            assert after == ALLOWED, (probe, before_docs, after_docs)
        if before == EXPLICIT_DENY:
            assert after == EXPLICIT_DENY, (probe, before_docs, after_docs)
    # ... and every request the scheduler makes is allowed
    for request in REQUIRED:
        assert evaluate(request, after_c).decision == ALLOWED, (request.action, request.resource, writes)
    # And every existing statement is still there, unchanged
    for key in [k for k in state if k.startswith("inline:")]:
        after_state = fold(state, writes)
        for stmt in state[key]["Statement"]:
            assert stmt in after_state[key]["Statement"]
    assert not blocked
    assert all(s["status"] not in ("missing", "partial") or "already" in s["reason"] for s in skipped)


SERVICES = ["sagemaker.amazonaws.com", "events.amazonaws.com", "lambda.amazonaws.com"]
ACCOUNT_GUARD = {"StringEquals": {"aws:SourceAccount": ACCOUNT}}


def _services(stmt: dict) -> list[str]:
    services = stmt["Principal"]["Service"]
    return [services] if isinstance(services, str) else services


@st.composite
def trust_policies(draw):
    stmts = []
    for _ in range(draw(st.integers(0, 3))):
        services = draw(st.lists(st.sampled_from(SERVICES), min_size=1, max_size=2, unique=True))
        stmt = {
            "Effect": draw(st.sampled_from(["Allow", "Allow", "Deny"])),
            "Principal": {"Service": services if len(services) > 1 else services[0]},
            "Action": draw(
                st.sampled_from(["sts:AssumeRole", ["sts:AssumeRole"], ["sts:AssumeRole", "sts:TagSession"]])
            ),
        }
        if draw(st.booleans()):
            stmt["Condition"] = ACCOUNT_GUARD
        stmts.append(stmt)
    return {"Version": "2012-10-17", "Statement": stmts}


@settings(max_examples=100, deadline=None)
@given(trust=trust_policies())
def test_trust_merge_keeps_every_principal_and_trusts_both_services(trust):
    # Given any trust policy
    # When the scheduler's two services are merged in
    merged = merge_trust(trust, ["sagemaker.amazonaws.com", "events.amazonaws.com"]).document
    # Then both are trusted by an Allow that is plain or carries the role's confused-deputy guard ...
    guarded = [s for s in merged["Statement"] if s["Effect"] == "Allow" and s.get("Condition") == ACCOUNT_GUARD]
    named = trusted_services(merged) | {v for s in guarded for v in _services(s)}
    assert {"sagemaker.amazonaws.com", "events.amazonaws.com"} <= named
    # ... and a service added beside a guarded statement gets the same guard, never a bare trust
    added = merged["Statement"][len(trust["Statement"]) :]
    if any(s in guarded for s in trust["Statement"]):
        assert all(s.get("Condition") == ACCOUNT_GUARD for s in added)
    # And every earlier statement is still there
    assert len(merged["Statement"]) >= len(trust["Statement"])
    for old, new in zip(trust["Statement"], merged["Statement"], strict=False):
        old_services = old["Principal"]["Service"]
        old_services = [old_services] if isinstance(old_services, str) else old_services
        new_services = new["Principal"]["Service"]
        new_services = [new_services] if isinstance(new_services, str) else new_services
        assert set(old_services) <= set(new_services)
        assert {k: v for k, v in old.items() if k != "Principal"} == {k: v for k, v in new.items() if k != "Principal"}
