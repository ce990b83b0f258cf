"""The execution role: given by name or ARN, or the scheduler's default (its setting, else the first
role named SagemakerJupyterScheduler*), or none; input errors; and the trust relationship."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.check import resolve_default_role, run_check
from jupyter_nbjob_iam.check.trust import check_trust
from jupyter_nbjob_iam.errors import InputError, NotFoundError
from jupyter_nbjob_iam.scheduler_settings import SCHEDULER_PLUGIN, SCHEDULER_SETTINGS_FILE

from .check_helpers import ACCOUNT, BOTH, EVERYTHING, allow, deny, doc

EXEC = f"arn:aws:iam::{ACCOUNT}:role/service-role/Exec"
PLACEHOLDER = f"arn:aws:iam::{ACCOUNT}:role/SagemakerJupyterScheduler"


def save_scheduler_setting(role_arn: str) -> None:
    folder = Path(os.environ["JUPYTERLAB_SETTINGS_DIR"]) / SCHEDULER_PLUGIN
    folder.mkdir(parents=True)
    # The scheduler's schema nests its options under advancedOptions; JupyterLab writes JSON5.
    (folder / SCHEDULER_SETTINGS_FILE).write_text(
        "{\n  // saved by the scheduler\n"
        f'  "advancedOptions": {{\n    "role_arn": "{role_arn}",\n    "s3_input": ""\n  }},\n}}'
    )


@pytest.mark.parametrize("given", ["Exec", EXEC])
def test_role_by_name_or_arn(ada, make_role, given):
    # Given ada and the role /service-role/Exec trusting SageMaker only
    make_role("Exec", path="/service-role/", services=("sagemaker.amazonaws.com",), inline={"All": EVERYTHING})
    ada()
    # When checked with the role's name, or its ARN
    report = run_check(AwsSession(), role=given, engine="local")
    # Then the role is that one, with its trust summarised, and the trust target names what is missing
    assert report.to_json()["role"] == {
        "arn": EXEC,
        "name": "Exec",
        "editable": True,
        "not_editable_reason": None,
        "trusts_sagemaker": True,
        "trusts_events": False,
    }
    (trust,) = report.target("trust").statements
    assert (trust.status, trust.missing_services) == ("missing", ("events.amazonaws.com",))
    assert report.target("trust").principal_arn == report.target("role").principal_arn == EXEC
    assert set(report.statuses()["role"].values()) == {"ok"}
    assert not any("execution role" in n.lower() and "checked the" in n.lower() for n in report.notes)


def test_an_arn_with_the_wrong_path_is_refused(ada, make_role):
    # Given the role lives at /service-role/
    make_role("Exec", path="/service-role/")
    ada()
    # When checked with an ARN without that path
    with pytest.raises(InputError) as info:
        run_check(AwsSession(), role=f"arn:aws:iam::{ACCOUNT}:role/Exec", engine="local")
    # Then the input error names the field and the real ARN
    assert info.value.error_code == "role_arn_mismatch"
    assert info.value.details["field"] == "role"
    assert EXEC in info.value.message


def test_a_role_of_another_account_is_refused(ada):
    ada()
    with pytest.raises(InputError) as info:
        run_check(AwsSession(), role="arn:aws:iam::210987654321:role/Exec", engine="local")
    assert (info.value.error_code, info.value.details["field"]) == ("role_in_other_account", "role")


@pytest.mark.parametrize("engine", ["local", "auto"])
def test_an_unknown_role_is_not_found(ada, engine):
    ada()
    with pytest.raises(NotFoundError) as info:
        run_check(AwsSession(), role="NoSuchRole", engine=engine)
    assert (info.value.status, info.value.error_code, info.value.details["field"]) == (404, "role_not_found", "role")


@pytest.mark.parametrize(
    ("role", "engine", "field"),
    [
        (f"arn:aws:iam::{ACCOUNT}:user/ada", "auto", "role"),
        (f"arn:aws:sts::{ACCOUNT}:assumed-role/Exec/session", "auto", "role"),
        ("arn:aws:s3:::bucket", "auto", "role"),
        ("not a role!", "auto", "role"),
        ("x" * 65, "auto", "role"),
        ("path/Exec", "auto", "role"),
        ("Exec", "fast", "engine"),
        ("Exec", None, "engine"),
    ],
)
def test_malformed_inputs_are_input_errors_before_any_call(aws_env, role, engine, field, counter):
    # Given a session whose AWS calls are counted
    sess = AwsSession()
    calls = counter(sess)
    # When checked with a malformed role or engine
    with pytest.raises(InputError) as info:
        run_check(sess, role=role, engine=engine)
    # Then a 400 names the field, and AWS was never called
    assert (info.value.status, info.value.details["field"]) == (400, field)
    assert calls.total == 0


def test_default_role_from_the_schedulers_setting(ada, make_role):
    # Given two candidate roles, and the scheduler's setting naming the second
    make_role("SagemakerJupyterSchedulerRole", services=BOTH)
    chosen = make_role("Exec", path="/service-role/", services=BOTH, inline={"All": EVERYTHING})
    save_scheduler_setting(chosen)
    ada()
    # When the default is resolved, and a check runs without a role
    resolved = resolve_default_role(AwsSession())
    report = run_check(AwsSession(), engine="local")
    # Then the setting wins, and the report says where the role came from
    assert resolved == (chosen, "scheduler_setting")
    assert report.role.arn == chosen
    assert any("saved default" in n and chosen in n for n in report.notes)


def test_a_malformed_setting_is_an_input_error_that_names_the_setting(ada):
    save_scheduler_setting("arn:aws:iam::123:role/Exec")
    ada()
    with pytest.raises(InputError) as info:
        run_check(AwsSession(), engine="local")
    assert info.value.details["field"] == "role"
    assert "scheduler's saved default role" in info.value.message


def test_default_role_is_the_first_named_like_the_schedulers(ada, iam, make_role):
    # Given an unrelated role and two roles named SagemakerJupyterScheduler* (moto lists roles in no
    # fixed order: "first" is the first ListRoles returns, as for the scheduler)
    make_role("AnalyticsRole", services=BOTH)
    make_role("SagemakerJupyterSchedulerA", path="/service-role/", services=BOTH)
    make_role("SagemakerJupyterSchedulerB", path="/service-role/", services=BOTH)
    listed = [r["Arn"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("SagemakerJupyterScheduler")]
    first = listed[0]
    ada()
    # When the default is resolved, and a check runs without a role
    resolved = resolve_default_role(AwsSession())
    report = run_check(AwsSession(), engine="local")
    # Then the first such role is used and the report says so
    assert resolved == (first, "role_name_prefix")
    assert report.role.arn == first
    assert [t.target for t in report.targets] == ["identity", "trust", "role"]
    assert any("pre-selects" in n for n in report.notes)


def test_without_any_role_the_identity_is_checked_alone_against_the_placeholder(ada, make_role):
    # Given no role the scheduler would pick, and ada allowed to pass only the scheduler's default role name
    make_role("AnalyticsRole", services=BOTH)
    passrole = allow("iam:PassRole", resource=PLACEHOLDER)
    ada(inline={"Pass": doc(passrole)})
    # When checked without a role
    report = run_check(AwsSession(), engine="local")
    # Then only the identity is checked, PassRole against the placeholder ARN, and the notes say both
    assert report.role is None and report.to_json()["role"] is None
    assert [t.target for t in report.targets] == ["identity"]
    assert report.statuses()["identity"]["IAMPassrole"] == "ok"
    # and the whole is not "ok": the role's trust and permissions were never checked
    assert report.ok is False and report.to_json()["ok"] is False
    assert any("only your own permissions were checked" in n for n in report.notes)
    assert any(PLACEHOLDER in n for n in report.notes)
    assert resolve_default_role(AwsSession()) == (None, None)


def test_refused_list_roles_checks_the_identity_alone_and_says_why(ada, moto_auth):
    # Given ada may read her own policies but not list roles
    ada(
        inline={
            "Reads": doc(allow("iam:GetUser", "iam:List*User*", "iam:GetUserPolicy", "sts:*"), deny("iam:ListRoles"))
        }
    )
    moto_auth()
    # When checked without a role
    report = run_check(AwsSession(), engine="local")
    # Then the identity is checked alone, and the note names the refused call
    assert [t.target for t in report.targets] == ["identity"]
    assert any("iam:ListRoles was refused" in n for n in report.notes)


# --- the trust policy, read by its own small evaluator ------------------------------------------------

SM, EV = "sagemaker.amazonaws.com", "events.amazonaws.com"


def trust_doc(*statements) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def stmt(principal, effect="Allow", action="sts:AssumeRole", **extra) -> dict:
    return {"Effect": effect, "Principal": principal, "Action": action, **extra}


@pytest.mark.parametrize(
    ("policy", "status", "missing", "keys"),
    [
        (trust_doc(stmt({"Service": [SM, EV]})), "ok", [], []),
        (trust_doc(stmt({"Service": SM}), stmt({"Service": EV})), "ok", [], []),
        ({"Version": "2012-10-17", "Statement": stmt({"Service": [SM, EV]})}, "ok", [], []),
        (trust_doc(stmt({"Service": SM})), "missing", [EV], []),
        (trust_doc(stmt({"Service": [SM, EV]}, action="sts:TagSession")), "missing", [SM, EV], []),
        (trust_doc(stmt({"Service": [SM, EV]}, action=["sts:Assume*"])), "ok", [], []),
        (trust_doc(stmt({"Service": [SM, EV]}, action="STS:ASSUMEROLE")), "ok", [], []),
        (trust_doc(stmt("*")), "ok", [], []),
        (trust_doc(stmt({"AWS": "*"})), "ok", [], []),
        (trust_doc(stmt({"AWS": f"arn:aws:iam::{ACCOUNT}:root"})), "missing", [SM, EV], []),
        (trust_doc(stmt({"Service": [SM, EV]}), stmt({"Service": EV}, effect="Deny")), "denied", [EV], []),
        (
            trust_doc(stmt({"Service": [SM, EV]}), {"Effect": "Deny", "Principal": "*", "NotAction": "sts:AssumeRole"}),
            "ok",
            [],
            [],
        ),
        (
            trust_doc(stmt({"Service": [SM, EV]}, Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}})),
            "conditional",
            [],
            ["aws:SourceAccount"],
        ),
        (
            trust_doc(
                stmt({"Service": [SM, EV]}),
                stmt({"Service": EV}, effect="Deny", Condition={"ArnNotLike": {"aws:SourceArn": "arn:*"}}),
            ),
            "conditional",
            [],
            ["aws:SourceArn"],
        ),
        (
            trust_doc(stmt({"Service": SM}), {"Effect": "Allow", "NotPrincipal": {"Service": SM}, "Action": "*"}),
            "ok",
            [],
            [],
        ),
        ({}, "unknown", [], []),
    ],
)
def test_trust_policy(policy, status, missing, keys):
    # Given a trust policy; When its TrustRelationship is checked
    result = check_trust(policy)
    # Then each of SageMaker and EventBridge is judged as IAM would, conditions never guessed
    assert (result.status, list(result.missing_services), list(result.unknown_keys)) == (status, missing, keys)
    assert result.sid == "TrustRelationship"
    assert result.statement["Principal"] == {"Service": [SM, EV]}


def test_trust_result_names_the_deciding_statement():
    result = check_trust(trust_doc(stmt({"Service": [SM, EV]}, Sid="Services")))
    assert [d.to_json() for d in result.decided_by] == [
        {"policy": "trust policy", "source": "trust", "sid": "Services", "effect": "Allow"}
    ]
    assert json.dumps(result.to_json())  # plain JSON
