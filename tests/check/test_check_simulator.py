"""The simulator engine (``iam:SimulatePrincipalPolicy``, which moto lacks): botocore's Stubber for
the exact calls (pagination, how each answer maps to a status), and a rule-based fake validated
against the same service model for whole checks, whose calls run concurrently in any order."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import ANY, Stubber
from botocore.validate import ParamValidator

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.catalog import CheckRequest, required_statements
from jupyter_nbjob_iam.check import run_check
from jupyter_nbjob_iam.check.engine_simulator import simulate_requests
from jupyter_nbjob_iam.errors import AccessDeniedError

from .check_helpers import ACCOUNT, BOTH, EVERYTHING, deny, doc

USER = f"arn:aws:iam::{ACCOUNT}:user/notebook-users/ada"
IDENTITY_SIDS = [s.sid for s in required_statements("identity")]
CONTEXT = {"aws:RequestedRegion": "us-east-1", "aws:PrincipalArn": USER}


def request(action: str, resource: str = "*", unknown: tuple[str, ...] = ("aws:SourceIp",)) -> CheckRequest:
    return CheckRequest("identity", "Test", action, resource, dict(CONTEXT), unknown)


def result(action: str, decision: str = "allowed", resource: str = "*", **extra: Any) -> dict:
    return {"EvalActionName": action, "EvalResourceName": resource, "EvalDecision": decision, **extra}


@pytest.fixture
def sess(aws_env) -> AwsSession:
    return AwsSession()


def test_pages_are_followed_and_each_answer_lands_on_its_request(sess):
    # Given three requests sharing resource and context (one call), answered over three pages
    reqs = [request("iam:ListRoles"), request("sagemaker:Search"), request("ecr:GetAuthorizationToken")]
    base = {
        "PolicySourceArn": USER,
        "ActionNames": [r.action for r in reqs],
        "ResourceArns": ["*"],
        "ContextEntries": ANY,
    }
    with Stubber(sess.client("iam")) as stub:
        stub.add_response(
            "simulate_principal_policy",
            {"EvaluationResults": [result("iam:ListRoles")], "IsTruncated": True, "Marker": "p2"},
            base,
        )
        stub.add_response(
            "simulate_principal_policy",
            {"EvaluationResults": [result("sagemaker:Search", "implicitDeny")], "IsTruncated": True, "Marker": "p3"},
            {**base, "Marker": "p2"},
        )
        stub.add_response(
            "simulate_principal_policy",
            {"EvaluationResults": [result("ecr:GetAuthorizationToken")], "IsTruncated": False},
            {**base, "Marker": "p3"},
        )
        # When simulated
        out = simulate_requests(sess, USER, reqs, max_workers=1)
        stub.assert_no_pending_responses()
    # Then every page was read and each request has its own answer
    assert [(o.request.action, o.status) for o in out] == [
        ("iam:ListRoles", "ok"),
        ("sagemaker:Search", "missing"),
        ("ecr:GetAuthorizationToken", "ok"),
    ]


def test_each_answer_maps_to_the_same_statuses_as_the_local_engine(sess):
    # Given one request per kind of answer, each on its own resource (one call each, in order)
    answers = [
        ("ok", result("s3:GetObject", resource="arn:aws:s3:::b/1")),
        ("missing", result("s3:GetObject", "implicitDeny", "arn:aws:s3:::b/2")),
        (
            "denied",
            result(
                "s3:GetObject",
                "explicitDeny",
                "arn:aws:s3:::b/3",
                MatchedStatements=[{"SourcePolicyId": "NoS3", "SourcePolicyType": "user"}],
            ),
        ),
        (
            "denied",
            result(
                "s3:GetObject",
                "implicitDeny",
                "arn:aws:s3:::b/4",
                PermissionsBoundaryDecisionDetail={"AllowedByPermissionsBoundary": False},
            ),
        ),
        (
            "denied",
            result(
                "s3:GetObject",
                "implicitDeny",
                "arn:aws:s3:::b/5",
                OrganizationsDecisionDetail={"AllowedByOrganizations": False},
            ),
        ),
        (
            "conditional",
            result("s3:GetObject", "implicitDeny", "arn:aws:s3:::b/6", MissingContextValues=["aws:SourceIp"]),
        ),
        # A key the real request does not carry is absent, not unknown: the decision stands.
        ("missing", result("s3:GetObject", "implicitDeny", "arn:aws:s3:::b/7", MissingContextValues=["s3:prefix"])),
    ]
    reqs = [request("s3:GetObject", r["EvalResourceName"]) for _, r in answers]
    with Stubber(sess.client("iam")) as stub:
        for _, answer in answers:
            stub.add_response(
                "simulate_principal_policy",
                {"EvaluationResults": [answer]},
                {
                    "PolicySourceArn": USER,
                    "ActionNames": ["s3:GetObject"],
                    "ResourceArns": [answer["EvalResourceName"]],
                    "ContextEntries": ANY,
                },
            )
        # When simulated
        out = simulate_requests(sess, USER, reqs, boundary_name="Bounds", max_workers=1)
    # Then each maps to its status, naming what decided it
    assert [o.status for o in out] == [expected for expected, _ in answers]
    assert [d.to_json() for d in out[2].decided_by] == [
        {"policy": "NoS3", "source": "inline", "sid": None, "effect": "Deny"}
    ]
    assert out[3].decided_by[0].policy == "Bounds" and out[3].decided_by[0].source == "boundary"
    assert out[4].decided_by[0].source == "scp"
    assert out[5].unknown_keys == ("aws:SourceIp",)


class FakeSimulator:
    """Answers SimulatePrincipalPolicy through ``rule(principal, action, resource, context)`` ->
    ``"allowed"`` / ``"implicitDeny"`` / ``"explicitDeny"`` / ``"AccessDenied"`` or a result dict,
    whatever order the concurrent calls come in; answers are validated against the service model."""

    def __init__(self, sess: AwsSession, rule: Callable[..., Any]) -> None:
        client = sess.client("iam")
        self.rule = rule
        self.calls: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.shape = client.meta.service_model.operation_model("SimulatePrincipalPolicy").output_shape
        client.meta.events.register("before-parameter-build.iam.SimulatePrincipalPolicy", self.capture)
        client.meta.events.register("before-call.iam.SimulatePrincipalPolicy", self.answer)

    def capture(self, params: dict, context: dict, **_: Any) -> None:
        context["sim_params"] = dict(params)

    def answer(self, context: dict, **_: Any) -> tuple[AWSResponse, dict]:
        params = context["sim_params"]
        with self.lock:
            self.calls.append(params)
        (resource,) = params["ResourceArns"]
        ctx = {e["ContextKeyName"]: e["ContextKeyValues"] for e in params.get("ContextEntries", [])}
        results = []
        for action in params["ActionNames"]:
            answer = self.rule(params["PolicySourceArn"], action, resource, ctx)
            if answer == "AccessDenied":
                error = {
                    "Error": {
                        "Code": "AccessDenied",
                        "Message": "User is not authorized to perform: iam:SimulatePrincipalPolicy",
                    }
                }
                return AWSResponse(None, 403, {}, None), {**error, "ResponseMetadata": {"HTTPStatusCode": 403}}
            results.append(answer if isinstance(answer, dict) else result(action, answer, resource))
        parsed = {"EvaluationResults": results, "IsTruncated": False}
        report = ParamValidator().validate(parsed, self.shape)
        assert not report.has_errors(), report.generate_report()
        return AWSResponse(None, 200, {}, None), parsed


def test_simulator_engine_asks_about_the_users_real_arn_with_the_catalog_context(ada, make_role, counter):
    # Given ada (no policies at all) and a simulator that allows everything
    role = make_role("Exec", path="/service-role/", services=BOTH)
    ada()
    sess = AwsSession()
    fake = FakeSimulator(sess, lambda *_: "allowed")
    calls = counter(sess)
    # When checked with the simulator engine
    report = run_check(sess, role=role, engine="simulator")
    # Then the simulator's answers decided (all ok), for ada's ARN with its path and for the role's ARN
    assert report.engine == "simulator"
    assert report.statuses()["identity"] == dict.fromkeys(IDENTITY_SIDS, "ok")
    assert set(report.statuses()["role"].values()) == {"ok"}
    assert {c["PolicySourceArn"] for c in fake.calls} == {USER, role}
    # And no policy was read, and each request carried the catalog's context
    assert not {"ListUserPolicies", "ListAttachedUserPolicies", "ListRolePolicies"} & set(calls.calls)
    passes = [c for c in fake.calls if c["ActionNames"] == ["iam:PassRole"] and c["PolicySourceArn"] == USER]
    passed_to = sorted(
        e["ContextKeyValues"][0]
        for c in passes
        for e in c["ContextEntries"]
        if e["ContextKeyName"] == "iam:PassedToService"
    )
    assert passed_to == ["events.amazonaws.com", "sagemaker.amazonaws.com"]
    assert all(c["ResourceArns"] == [role] for c in passes)


def test_assumed_role_is_simulated_as_the_role_arn_with_its_path(make_role, assume, use_keys):
    # Given a session of the role /team/Scientist and a simulator that allows everything
    arn = make_role("Scientist", path="/team/")
    use_keys(assume(arn))
    sess = AwsSession()
    fake = FakeSimulator(sess, lambda *_: "allowed")
    # When checked
    run_check(sess, engine="simulator")
    # Then the simulator was asked about the role (with its path), never the session ARN
    assert {c["PolicySourceArn"] for c in fake.calls} == {arn}


def test_simulated_statuses_reach_the_statements(ada):
    # Given a simulator that denies EventBridge explicitly, lacks S3 versioning, and needs the source IP for Search
    ada()
    sess = AwsSession()

    def rule(principal, action, resource, ctx):
        if action.startswith("events:"):
            return result(
                action,
                "explicitDeny",
                resource,
                MatchedStatements=[{"SourcePolicyId": "NoEvents", "SourcePolicyType": "user"}],
            )
        if action == "s3:PutBucketVersioning":
            return "implicitDeny"
        if action == "sagemaker:Search":
            return result(action, "implicitDeny", resource, MissingContextValues=["aws:SourceIp"])
        return "allowed"

    FakeSimulator(sess, rule)
    # When checked
    report = run_check(sess, engine="simulator")
    statements = {s.sid: s for s in report.target("identity").statements}
    # Then each statement has the status its requests' answers give
    assert statements["EventBridgeSchedule"].status == "denied"
    assert statements["EventBridgeSchedule"].decided_by[0].policy == "NoEvents"
    assert (statements["S3ArtifactsAccess"].status, statements["S3ArtifactsAccess"].missing_actions) == (
        "partial",
        ("s3:PutBucketVersioning",),
    )
    assert (statements["AllowSearch"].status, statements["AllowSearch"].unknown_keys) == (
        "conditional",
        ("aws:SourceIp",),
    )
    assert statements["ECRImage"].status == "ok"


def test_a_refused_simulator_is_an_error_with_the_simulator_engine(ada):
    ada()
    sess = AwsSession()
    FakeSimulator(sess, lambda *_: "AccessDenied")
    with pytest.raises(AccessDeniedError):
        run_check(sess, engine="simulator")


def test_auto_falls_back_to_local_when_the_simulator_is_refused(ada, make_role):
    # Given ada and her role with real policies, and a simulator she may not use
    role = make_role("Exec", services=BOTH, inline={"All": EVERYTHING})
    ada(inline={"All": EVERYTHING, "NoEvents": doc(deny("events:*"))})
    sess = AwsSession()
    fake = FakeSimulator(sess, lambda *_: "AccessDenied")
    # When checked in auto mode
    report = run_check(sess, role=role)
    # Then one probing call per principal found the simulator refused
    assert sorted(c["PolicySourceArn"] for c in fake.calls) == sorted(
        [role, f"arn:aws:iam::{ACCOUNT}:user/notebook-users/ada"]
    )
    # And the policies were read and evaluated locally, and the report says so
    assert report.engine == "local"
    assert any("was refused (AccessDenied) for your identity and the execution role" in n for n in report.notes)
    assert report.statuses() == run_check(AwsSession(), role=role, engine="local").statuses()
    assert report.statuses()["identity"]["EventBridgeSchedule"] == "denied"


def test_auto_mixes_engines_when_the_simulator_is_refused_for_the_role_only(ada, make_role):
    # Given the simulator answers for ada but is refused for the role
    role = make_role("Exec", services=BOTH, inline={"All": EVERYTHING})
    ada()
    sess = AwsSession()
    FakeSimulator(sess, lambda principal, *_: "AccessDenied" if principal == role else "allowed")
    # When checked in auto mode
    report = run_check(sess, role=role)
    # Then ada's statements come from the simulator, the role's from its policies: both engines ran
    assert report.engine == "simulator+local"
    assert report.statuses()["identity"] == dict.fromkeys(IDENTITY_SIDS, "ok")
    assert set(report.statuses()["role"].values()) == {"ok"}
    assert any("for the execution role" in n and "your identity" not in n for n in report.notes)
