"""`jupyter nbjob-iam check`: exit codes (0 ok, 1 gaps, 2 error), the JSON report's shape, the
human table, colour only on a terminal, and `python -m` = `jupyter nbjob-iam`."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.catalog import required_statements
from jupyter_nbjob_iam.check import ENGINES, run_check
from jupyter_nbjob_iam.cli import check as cli_check
from jupyter_nbjob_iam.cli import main
from jupyter_nbjob_iam.cli.render import render_report, use_color

JUPYTER = shutil.which("jupyter", path=str(Path(sys.executable).parent))
EVERYTHING = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
TRUST_BOTH = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": ["sagemaker.amazonaws.com", "events.amazonaws.com"]},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)
REPORT_KEYS = [
    "ok",
    "engine",
    "account",
    "region",
    "profile",
    "identity",
    "role",
    "targets",
    "notes",
    "inputs",
    "buckets",
    "environment",
]
STATEMENT_KEYS = [
    "sid",
    "status",
    "detail",
    "why",
    "legacy",
    "missing_actions",
    "missing_services",
    "unknown_keys",
    "decided_by",
    "statement",
]


@pytest.fixture(autouse=True)
def _no_managed_policies(moto_server, monkeypatch):
    """moto loads its ~1,000 AWS managed policies on each reset (seconds): not needed here. Set before
    ``aws_env`` resets the server (autouse fixtures come first)."""
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "false")


@pytest.fixture
def account(aws_env, monkeypatch, tmp_path):
    """A moto account and JupyterLab settings without a scheduler default role."""
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path / "settings"))
    return boto3.client("iam")


@pytest.fixture
def sign_in(account, monkeypatch):
    """Create ada with ``policy`` (if any), sign in as her."""

    def make(policy: str | None = None) -> None:
        account.create_user(UserName="ada", Path="/notebook-users/")
        if policy:
            account.put_user_policy(UserName="ada", PolicyName="Policy", PolicyDocument=policy)
        keys = account.create_access_key(UserName="ada")["AccessKey"]
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", keys["AccessKeyId"])
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", keys["SecretAccessKey"])

    return make


def complete_role(iam) -> None:
    iam.create_role(RoleName="Exec", Path="/service-role/", AssumeRolePolicyDocument=TRUST_BOTH)
    iam.put_role_policy(RoleName="Exec", PolicyName="All", PolicyDocument=EVERYTHING)


def test_gaps_exit_1_and_json_is_the_report_exactly(sign_in, capsys):
    # Given ada with no policy, and no execution role
    sign_in()
    # When checked with --json
    code = main(["check", "--json"])
    out = capsys.readouterr().out
    report = json.loads(out)
    # Then the exit code says "gaps", and the JSON is the report with exactly the documented keys
    assert code == 1
    assert list(report) == REPORT_KEYS
    assert report["ok"] is False and report["role"] is None
    assert list(report["identity"]) == ["arn", "kind", "principal_arn", "editable", "not_editable_reason"]
    (target,) = report["targets"]
    assert list(target) == ["target", "principal_arn", "statements"]
    assert [list(s) for s in target["statements"]] == [STATEMENT_KEYS] * 9
    assert {s["status"] for s in target["statements"]} == {"missing"}
    # And it is exactly what run_check reports
    assert report == run_check(AwsSession()).to_json()


def test_all_in_place_exits_0_with_a_readable_table(sign_in, account, capsys):
    # Given ada and her role may do everything, and the role trusts both services
    sign_in(EVERYTHING)
    complete_role(account)
    # When checked with the role
    code = main(["check", "--role", "Exec", "--engine", "local"])
    out = capsys.readouterr().out
    # Then exit 0, a table with every statement as OK, and no colour (not a terminal)
    assert code == 0
    assert "All required permissions are in place." in out
    for stmt in required_statements("identity") + required_statements("role"):
        assert f"OK           {stmt.sid}" in out
    assert "OK           TrustRelationship" in out
    assert "\033[" not in out
    role = f"arn:aws:iam::{'123456789012'}:role/service-role/Exec"
    assert f"Role      {role}" in out


def test_the_table_shows_each_status_and_the_missing_actions_indented(sign_in, capsys):
    # Given ada may pass roles to SageMaker only, and tag jobs only from the office
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "events:PutRule", "Resource": "*"},
            {
                "Effect": "Allow",
                "Action": "sagemaker:*Tags",
                "Resource": "*",
                "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
            },
        ],
    }
    sign_in(json.dumps(policy))
    # When checked
    code = main(["check", "--engine", "local"])
    out = capsys.readouterr().out
    lines = out.splitlines()
    # Then each statement has its status word, and what is missing is indented under it
    assert code == 1
    row = lines.index("  PARTIAL      EventBridgeSchedule")
    assert lines[row + 1].startswith("               missing: events:TagResource, events:DeleteRule")
    assert "  CONDITIONAL  SagemakerTags" in lines
    assert "               depends on: aws:SourceIp" in lines
    assert "  MISSING      IAMListRoles" in lines
    assert any(line.startswith("  MISSING      S3DriverAccess  (legacy") for line in lines)
    assert lines[-1].startswith("8 of 9 statements need attention")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["check", "--role", "arn:aws:iam::123:role/Exec"], "no valid 12-digit account id"),
        (["check", "--role", "NoSuchRole"], "no IAM role named `NoSuchRole`"),
        (["check", "--kms-key-arn", "your_KMS_key_ARN"], "KMS key ARN"),
        (["check", "--engine", "fast"], "invalid choice: 'fast'"),
        (["check", "--profile", "nope"], "profile `nope` does not exist"),
    ],
)
def test_errors_exit_2_with_one_line_on_stderr(sign_in, capsys, argv, fragment):
    # Given ada signed in
    sign_in()
    # When the check is given a bad input (argparse itself exits for an unknown choice)
    if "--engine" in argv:
        with pytest.raises(SystemExit) as info:
            main(argv)
        code = info.value.code
    else:
        code = main(argv)
    err = capsys.readouterr().err
    # Then exit 2, and stderr says why on one line (after argparse's usage line), without a traceback
    assert code == 2
    assert fragment in err.strip().splitlines()[-1]
    assert "Traceback" not in err


def test_python_m_and_jupyter_subcommand_print_the_same(sign_in):
    # Given ada signed in (the subprocesses inherit the environment)
    sign_in(
        json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"}]}
        )
    )
    # When the check runs as `python -m jupyter_nbjob_iam` and as `jupyter nbjob-iam`
    results = [
        subprocess.run([*command, "check", "--json", "--engine", "local"], capture_output=True, text=True, timeout=120)
        for command in ([sys.executable, "-m", "jupyter_nbjob_iam"], [JUPYTER or "jupyter", "nbjob-iam"])
    ]
    # Then both exit 1 with the same report
    assert [r.returncode for r in results] == [1, 1], [r.stderr for r in results]
    first, second = (json.loads(r.stdout) for r in results)
    assert first == second
    assert first["targets"][0]["statements"][2]["sid"] == "IAMListRoles"
    assert first["targets"][0]["statements"][2]["status"] == "ok"


def test_help_lists_check_and_its_options(capsys):
    with pytest.raises(SystemExit) as info:
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    for option in ("--profile", "--region", "--role", "--kms-key-arn", "--output-kms-key", "--volume-kms-key",
                   "--s3-input", "--s3-output", "--engine", "--json"):  # fmt: skip
        assert option in out
    assert cli_check.ENGINES == ENGINES


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "environ", "expected"),
    [
        (_Tty(), {}, True),
        (_Tty(), {"NO_COLOR": "1"}, False),
        (_Tty(), {"NO_COLOR": ""}, True),
        (_Tty(), {"TERM": "dumb"}, False),
        (io.StringIO(), {}, False),
    ],
)
def test_colour_only_on_a_terminal_without_no_color(stream, environ, expected):
    assert use_color(stream, environ) is expected


def test_colour_codes_wrap_the_status_words(sign_in):
    # Given a report with gaps
    sign_in()
    report = run_check(AwsSession(), engine="local")
    # When rendered with and without colour
    coloured, plain = render_report(report, color=True), render_report(report, color=False)
    # Then only the coloured one has ANSI codes, around the status words
    assert "\033[31mMISSING" in coloured
    assert "\033[" not in plain
    assert plain.count("MISSING") == coloured.count("MISSING")


def test_folder_and_key_flags_reach_the_check_and_the_table(sign_in, account, capsys):
    # Given ada and her role may do everything, and a KMS key with an alias
    sign_in(EVERYTHING)
    complete_role(account)
    kms = boto3.client("kms")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/jobs", TargetKeyId=key["KeyId"])
    argv = ["check", "--role", "Exec", "--engine", "local", "--s3-input", "s3://team-in/nb", "--s3-output",
            "s3://team-out", "--output-kms-key", "alias/jobs", "--volume-kms-key", key["KeyId"]]  # fmt: skip
    # When checked with the folder and key flags, as JSON and as a table
    assert main([*argv, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert main(argv) == 0
    out = capsys.readouterr().out
    # Then the check used them (typed), resolved both keys, and the table says where each came from
    assert report["inputs"]["s3_input"] == {"value": "s3://team-in/nb", "source": "typed"}
    assert report["inputs"]["output_kms_key"]["resolved_arn"] == key["Arn"]
    assert report["inputs"]["volume_kms_key"]["resolved_arn"] == key["Arn"]
    assert [b["bucket"] for b in report["buckets"]] == ["team-in", "team-out"]
    assert "Input       s3://team-in/nb  (typed)" in out
    assert f"Output key  alias/jobs -> {key['Arn']}  (typed)" in out
    assert "Role from   typed" in out


def test_kms_key_arn_still_names_the_output_key(sign_in, account, capsys):
    sign_in(EVERYTHING)
    complete_role(account)
    key = f"arn:aws:kms:us-east-1:123456789012:key/{'1' * 8}-2222-3333-4444-{'5' * 12}"
    assert main(["check", "--role", "Exec", "--engine", "local", "--kms-key-arn", key, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["inputs"]["output_kms_key"] == {"value": key, "source": "typed", "resolved_arn": key, "error": None}


def test_a_scheduler_blocker_is_shown_with_the_way_out(sign_in, account, capsys, monkeypatch, tmp_path):
    # Given scheduler 3.2.2 installed here, outside Studio
    from jupyter_nbjob_iam import scheduler_env

    info = tmp_path / "site" / "amazon_sagemaker_jupyter_scheduler-3.2.2.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: amazon-sagemaker-jupyter-scheduler\nVersion: 3.2.2\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(scheduler_env, "STUDIO_METADATA_FILE", tmp_path / "no" / "resource-metadata.json")
    sign_in(EVERYTHING)
    complete_role(account)
    # When checked
    main(["check", "--role", "Exec", "--engine", "local"])
    out = capsys.readouterr().out
    # Then the table says the scheduler cannot create jobs here, and the way out
    assert "Scheduler blocked here" in out
    assert "amazon-sagemaker-jupyter-scheduler 3.2.2 cannot create notebook jobs outside SageMaker Studio" in " ".join(
        out.split()
    )
    assert "Way out:" in out
