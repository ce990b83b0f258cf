"""iam:SimulatePrincipalPolicy, which moto lacks: botocore's Stubber (requests and responses are
validated against the real service model), plus a rule-based fake for the concurrent path."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber
from botocore.validate import ParamValidator

from jupyter_nbjob_iam.aws import AwsSession, SimRequest, context_entries, simulate
from jupyter_nbjob_iam.aws.simulator import SimStatement
from jupyter_nbjob_iam.errors import AccessDeniedError, AwsError, InputError

from .aws_helpers import ACCOUNT

USER = f"arn:aws:iam::{ACCOUNT}:user/team/alice"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/Exec"
BUCKET = f"arn:aws:s3:::sagemaker-automated-execution-{ACCOUNT}-us-east-1"
TAG = {"aws:RequestTag/sagemaker:is-scheduling-notebook-job": "true"}


def result(action: str, decision: str = "allowed", resource: str = "*", **extra) -> dict:
    return {"EvalActionName": action, "EvalResourceName": resource, "EvalDecision": decision, **extra}


@pytest.fixture
def sess(aws_env):
    return AwsSession()


@pytest.fixture
def stub(sess):
    with Stubber(sess.client("iam")) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def test_requests_sharing_resource_and_context_share_one_call(sess, stub):
    # Given four requests: two share resource and context, one has another resource, one other context
    reqs = [
        SimRequest("sagemaker:CreatePipeline", "*", TAG),
        SimRequest("sagemaker:AddTags", "*", TAG),
        SimRequest("s3:PutObject", f"{BUCKET}/*", {}),
        SimRequest("sagemaker:CreatePipeline", "*", {}),
    ]
    tag_entries = [
        {
            "ContextKeyName": "aws:RequestTag/sagemaker:is-scheduling-notebook-job",
            "ContextKeyValues": ["true"],
            "ContextKeyType": "string",
        }
    ]
    stub.add_response(
        "simulate_principal_policy",
        {
            "EvaluationResults": [result("sagemaker:CreatePipeline"), result("sagemaker:AddTags", "implicitDeny")],
            "IsTruncated": False,
        },
        {
            "PolicySourceArn": USER,
            "ActionNames": ["sagemaker:CreatePipeline", "sagemaker:AddTags"],
            "ResourceArns": ["*"],
            "ContextEntries": tag_entries,
        },
    )
    stub.add_response(
        "simulate_principal_policy",
        {"EvaluationResults": [result("s3:PutObject", "explicitDeny", f"{BUCKET}/*")]},
        {"PolicySourceArn": USER, "ActionNames": ["s3:PutObject"], "ResourceArns": [f"{BUCKET}/*"]},
    )
    stub.add_response(
        "simulate_principal_policy",
        {
            "EvaluationResults": [
                result(
                    "sagemaker:CreatePipeline",
                    "implicitDeny",
                    MissingContextValues=["aws:RequestTag/sagemaker:is-scheduling-notebook-job"],
                )
            ]
        },
        {"PolicySourceArn": USER, "ActionNames": ["sagemaker:CreatePipeline"], "ResourceArns": ["*"]},
    )
    # When simulated (one worker: the Stubber answers in order)
    out = simulate(sess, USER, reqs, max_workers=1)
    # Then one decision per request, in request order
    assert [d.request for d in out] == reqs
    assert [d.decision for d in out] == ["allowed", "implicitDeny", "explicitDeny", "implicitDeny"]
    assert out[3].missing_context == ("aws:RequestTag/sagemaker:is-scheduling-notebook-job",)
    assert out[0].allowed and not out[1].allowed
    assert (out[2].action, out[2].resource) == ("s3:PutObject", f"{BUCKET}/*")


def test_pagination_follows_marker(sess, stub):
    reqs = [SimRequest(a) for a in ("iam:ListRoles", "sagemaker:Search", "ecr:GetAuthorizationToken")]
    names = [r.action for r in reqs]
    base = {"PolicySourceArn": ROLE, "ActionNames": names, "ResourceArns": ["*"]}
    stub.add_response(
        "simulate_principal_policy",
        {"EvaluationResults": [result("iam:ListRoles")], "IsTruncated": True, "Marker": "page-2"},
        base,
    )
    stub.add_response(
        "simulate_principal_policy",
        {"EvaluationResults": [result("sagemaker:Search")], "IsTruncated": True, "Marker": "page-3"},
        {**base, "Marker": "page-2"},
    )
    stub.add_response(
        "simulate_principal_policy",
        {"EvaluationResults": [result("ecr:GetAuthorizationToken", "implicitDeny")], "IsTruncated": False},
        {**base, "Marker": "page-3"},
    )
    out = simulate(sess, ROLE, reqs)
    assert [d.decision for d in out] == ["allowed", "allowed", "implicitDeny"]


def test_details_matched_statements_boundary_and_organizations(sess, stub):
    stub.add_response(
        "simulate_principal_policy",
        {
            "EvaluationResults": [
                result(
                    "events:PutRule",
                    "implicitDeny",
                    "*",
                    MatchedStatements=[
                        {
                            "SourcePolicyId": "SageMakerNotebookJobs",
                            "SourcePolicyType": "user",
                            "StartPosition": {"Line": 1, "Column": 40},
                            "EndPosition": {"Line": 1, "Column": 180},
                        }
                    ],
                    PermissionsBoundaryDecisionDetail={"AllowedByPermissionsBoundary": False},
                    OrganizationsDecisionDetail={"AllowedByOrganizations": True},
                    EvalDecisionDetails={"PermissionsBoundaryPolicy": "implicitDeny"},
                )
            ]
        },
    )
    (d,) = simulate(sess, USER, [SimRequest("events:PutRule")])
    assert d.decision == "implicitDeny"
    assert d.matched == (SimStatement("SageMakerNotebookJobs", "user", (1, 40), (1, 180)),)
    assert d.allowed_by_boundary is False
    assert d.allowed_by_organizations is True
    assert d.decision_details == {"PermissionsBoundaryPolicy": "implicitDeny"}


def test_resource_specific_result_wins(sess, stub):
    role_arn = ROLE
    stub.add_response(
        "simulate_principal_policy",
        {
            "EvaluationResults": [
                result(
                    "iam:PassRole",
                    "implicitDeny",
                    role_arn,
                    ResourceSpecificResults=[
                        {
                            "EvalResourceName": role_arn,
                            "EvalResourceDecision": "allowed",
                            "MatchedStatements": [
                                {
                                    "SourcePolicyId": "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess",
                                    "SourcePolicyType": "aws-managed",
                                }
                            ],
                            "MissingContextValues": ["iam:PassedToService"],
                            "PermissionsBoundaryDecisionDetail": {"AllowedByPermissionsBoundary": True},
                        }
                    ],
                )
            ]
        },
    )
    (d,) = simulate(sess, USER, [SimRequest("iam:PassRole", role_arn, {"iam:PassedToService": "events.amazonaws.com"})])
    assert d.decision == "allowed"
    assert d.matched[0].source_policy_type == "aws-managed"
    assert d.missing_context == ("iam:PassedToService",)
    assert d.allowed_by_boundary is True
    assert d.allowed_by_organizations is None


def test_action_names_are_matched_case_insensitively(sess, stub):
    stub.add_response("simulate_principal_policy", {"EvaluationResults": [result("s3:getobject")]})
    (d,) = simulate(sess, USER, [SimRequest("s3:GetObject")])
    assert d.decision == "allowed"


def test_access_denied_raises_access_denied_error(sess, stub):
    message = (
        f"User: {USER} is not authorized to perform: iam:SimulatePrincipalPolicy on resource: {USER} "
        "because no identity-based policy allows the iam:SimulatePrincipalPolicy action"
    )
    stub.add_client_error("simulate_principal_policy", "AccessDenied", message, http_status_code=403)
    with pytest.raises(AccessDeniedError) as info:
        simulate(sess, USER, [SimRequest("s3:GetObject")])
    err = info.value
    assert (err.status, err.error_code) == (502, "access_denied")
    assert err.details["aws_action"] == "iam:SimulatePrincipalPolicy"
    assert err.details["denied_action"] == "iam:SimulatePrincipalPolicy"
    assert err.details["denied_resource"] == USER
    assert err.details["denied_by"] == "identity-policy"


def test_other_errors_are_translated(sess, stub):
    stub.add_client_error("simulate_principal_policy", "NoSuchEntity", "User alice not found", http_status_code=404)
    from jupyter_nbjob_iam.errors import NotFoundError

    with pytest.raises(NotFoundError):
        simulate(sess, USER, [SimRequest("s3:GetObject")])


@pytest.mark.parametrize(
    ("arn", "fragment"),
    [
        (f"arn:aws:sts::{ACCOUNT}:assumed-role/Exec/jupyter", "session of the role"),
        (f"arn:aws:iam::{ACCOUNT}:root", "IAM root ARN"),
        ("alice", "is not an ARN"),
    ],
)
def test_principal_must_be_a_user_group_or_role_arn(sess, stub, arn, fragment):
    with pytest.raises(InputError, match=fragment):
        simulate(sess, arn, [SimRequest("s3:GetObject")])


def test_no_requests_no_call(sess, stub):
    assert simulate(sess, USER, []) == []


def test_a_missing_result_is_an_error_not_a_guess(sess, stub):
    stub.add_response("simulate_principal_policy", {"EvaluationResults": [result("s3:GetObject")]})
    with pytest.raises(AwsError) as info:
        simulate(sess, USER, [SimRequest("s3:GetObject"), SimRequest("s3:PutObject")])
    assert info.value.error_code == "simulator_incomplete"


def test_context_types_reach_the_simulator(sess, stub):
    when = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    ctx = {
        "aws:CurrentTime": when,
        "aws:SecureTransport": True,
        "aws:TagKeys": ["sagemaker:name", "sagemaker:is-scheduling-notebook-job"],
        "aws:PrincipalAccount": ACCOUNT,
    }
    stub.add_response(
        "simulate_principal_policy",
        {"EvaluationResults": [result("sagemaker:CreateTrainingJob")]},
        {
            "PolicySourceArn": USER,
            "ActionNames": ["sagemaker:CreateTrainingJob"],
            "ResourceArns": ["*"],
            "ContextEntries": [
                {
                    "ContextKeyName": "aws:CurrentTime",
                    "ContextKeyValues": ["2025-01-02T03:04:05Z"],
                    "ContextKeyType": "date",
                },
                {"ContextKeyName": "aws:PrincipalAccount", "ContextKeyValues": [ACCOUNT], "ContextKeyType": "string"},
                {"ContextKeyName": "aws:SecureTransport", "ContextKeyValues": ["true"], "ContextKeyType": "boolean"},
                {
                    "ContextKeyName": "aws:TagKeys",
                    "ContextKeyValues": ["sagemaker:name", "sagemaker:is-scheduling-notebook-job"],
                    "ContextKeyType": "stringList",
                },
            ],
        },
    )
    simulate(sess, USER, [SimRequest("sagemaker:CreateTrainingJob", "*", ctx)])


@pytest.mark.parametrize(
    ("context", "types", "expected"),
    [
        ({"aws:username": "alice"}, None, ("string", ["alice"])),
        ({"aws:TagKeys": ["a", "b"]}, None, ("stringList", ["a", "b"])),
        ({"aws:TagKeys": []}, None, ("stringList", [])),
        ({"aws:SecureTransport": "True"}, None, ("boolean", ["true"])),
        ({"aws:SecureTransport": False}, None, ("boolean", ["false"])),
        ({"aws:MultiFactorAuthPresent": "true"}, None, ("boolean", ["true"])),
        ({"aws:CurrentTime": "2025-01-02T03:04:05Z"}, None, ("date", ["2025-01-02T03:04:05Z"])),
        ({"AWS:CURRENTTIME": dt.datetime(2025, 1, 2, 3, 4, 5)}, None, ("date", ["2025-01-02T03:04:05Z"])),
        (
            {"aws:TokenIssueTime": dt.datetime(2025, 1, 2, 4, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))},
            None,
            ("date", ["2025-01-02T03:04:05Z"]),
        ),
        ({"aws:EpochTime": "1735787045"}, None, ("numeric", ["1735787045"])),
        ({"aws:MultiFactorAuthAge": 300}, None, ("numeric", ["300"])),
        ({"sagemaker:MaxRuntimeInSeconds": 3600}, None, ("numeric", ["3600"])),
        ({"sagemaker:NetworkIsolation": True}, None, ("boolean", ["true"])),
        ({"aws:SourceIp": "203.0.113.7"}, None, ("ip", ["203.0.113.7"])),
        ({"aws:SourceIp": ["203.0.113.7", "2001:db8::1"]}, None, ("ipList", ["203.0.113.7", "2001:db8::1"])),
        ({"my:flag": True}, None, ("boolean", ["true"])),
        ({"my:count": 3.5}, None, ("numeric", ["3.5"])),
        ({"my:bools": [True, False]}, None, ("booleanList", ["true", "false"])),
        ({"my:when": dt.date(2025, 1, 2)}, None, ("date", ["2025-01-02"])),
        ({"my:blob": b"\x00\x01"}, None, ("binary", ["AAE="])),
        ({"my:key": "5"}, {"MY:KEY": "numeric"}, ("numeric", ["5"])),
        ({"my:key": ["5", "6"]}, {"my:key": "numeric"}, ("numericList", ["5", "6"])),
        ({"my:key": {"b", "a"}}, None, ("stringList", ["a", "b"])),
    ],
)
def test_context_entry_types(context, types, expected):
    (entry,) = context_entries(context, types)
    assert (entry["ContextKeyType"], entry["ContextKeyValues"]) == expected
    assert entry["ContextKeyName"] == next(iter(context))


def test_context_none_values_are_left_out_and_bad_types_refused():
    assert context_entries({"aws:SourceVpc": None}) == []
    with pytest.raises(InputError):
        context_entries({"my:key": "x"}, {"my:key": "float"})


class FakeSimulator:
    """Answers SimulatePrincipalPolicy from a rule (s3:* allowed, the rest implicitly denied),
    whatever order the concurrent calls arrive in; the answers are validated like Stubber's."""

    def __init__(self, client, delay: float = 0.05) -> None:
        self.delay = delay
        self.calls = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.output_shape = client.meta.service_model.operation_model("SimulatePrincipalPolicy").output_shape
        client.meta.events.register("before-parameter-build.iam.SimulatePrincipalPolicy", self.capture)
        client.meta.events.register("before-call.iam.SimulatePrincipalPolicy", self.answer)

    def capture(self, params, context, **_):
        context["sim_params"] = dict(params)

    def answer(self, context, **_):
        params = context["sim_params"]
        with self.lock:
            self.calls += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        time.sleep(self.delay)
        with self.lock:
            self.in_flight -= 1
        (resource,) = params["ResourceArns"]
        keys = [e["ContextKeyName"] for e in params.get("ContextEntries", [])]
        parsed = {
            "EvaluationResults": [
                result(
                    a, "allowed" if a.startswith("s3:") else "implicitDeny", resource, MissingContextValues=keys
                )  # echo, to check each answer lands on its request
                for a in params["ActionNames"]
            ],
            "IsTruncated": False,
        }
        report = ParamValidator().validate(parsed, self.output_shape)
        assert not report.has_errors(), report.generate_report()
        return AWSResponse(None, 200, {}, None), parsed


def test_groups_are_simulated_concurrently(sess):
    fake = FakeSimulator(sess.client("iam"))
    reqs = []
    for i in range(12):
        reqs.append(SimRequest("s3:GetObject", f"{BUCKET}/job-{i}/*", {f"my:key{i}": "v"}))
        reqs.append(SimRequest("sagemaker:DescribeTrainingJob", f"{BUCKET}/job-{i}/*", {f"my:key{i}": "v"}))
    start = time.monotonic()
    out = simulate(sess, USER, reqs)
    elapsed = time.monotonic() - start
    assert fake.calls == 12
    assert fake.max_in_flight > 1
    assert elapsed < 12 * fake.delay
    for req, d in zip(reqs, out, strict=True):
        assert d.request is req
        assert d.decision == ("allowed" if req.action.startswith("s3:") else "implicitDeny")
        assert d.missing_context == tuple(req.context)
