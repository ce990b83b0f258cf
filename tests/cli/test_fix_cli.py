"""``jupyter nbjob-iam fix | undo | handoff`` against moto over HTTP, in process."""

from __future__ import annotations

import json
import os
import urllib.request

import boto3
import pytest
import yaml

from jupyter_nbjob_iam.cli import main
from jupyter_nbjob_iam.sandbox import seed

ACCOUNT = "123456789012"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "false")
    settings = tmp_path / "lab-user-settings"
    settings.mkdir()
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(settings))
    monkeypatch.setenv("NBJOB_IAM_STATE_DIR", str(tmp_path / "state"))


@pytest.fixture
def ada(aws_env, monkeypatch):
    """A user ``ada`` without policies and the scheduler's execution role; signed in as ada."""
    iam = boto3.client("iam")
    iam.create_user(UserName="ada")
    iam.create_role(RoleName="SagemakerJupyterSchedulerRole", Path="/service-role/", AssumeRolePolicyDocument=TRUST)
    keys = iam.create_access_key(UserName="ada")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", keys["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", keys["SecretAccessKey"])
    return iam


FIX = ["fix", "--engine", "local", "--verify-timeout", "0.5"]


def test_fix_yes_json_applies_verifies_and_exits_0(ada, capsys):
    # Given a user and role with gaps
    # When `fix --yes --json` runs
    code = main([*FIX, "--yes", "--json"])
    out = json.loads(capsys.readouterr().out)
    # Then it printed the plan and the result, everything verified, exit 0
    assert code == 0
    assert out["result"]["status"] == "applied" and out["result"]["verified"] is True
    assert [w["api_call"] for w in out["plan"]["writes"]] == [
        "iam:PutUserPolicy",
        "iam:PutRolePolicy",
        "iam:UpdateAssumeRolePolicy",
    ]
    assert "reads" not in out["plan"]
    # And a second run has nothing to do
    assert main([*FIX, "--yes"]) == 0
    assert "Nothing to write" in capsys.readouterr().out


def test_the_plan_is_shown_as_a_diff_and_nothing_is_written_without_a_yes(ada, capsys, monkeypatch):
    # Given no terminal and no --yes
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    # When fix runs
    code = main(FIX)
    captured = capsys.readouterr()
    # Then the plan is shown as diffs, the command exits 2 saying to use --yes, and nothing was written
    assert code == 2
    assert "use --yes" in captured.err and len(captured.err.strip().splitlines()) == 1
    assert '+          "events.amazonaws.com"' in captured.out
    assert '+      "Sid": "EventBridgeSchedule",' in captured.out
    assert "--- trust policy (now)" in captured.out and "+++ trust policy (after)" in captured.out
    assert ada.list_user_policies(UserName="ada")["PolicyNames"] == []


@pytest.mark.parametrize(("answer", "code", "written"), [("n", 1, []), ("y", 0, ["SageMakerNotebookJobs"])])
def test_on_a_terminal_it_asks_first(answer, code, written, ada, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: answer)
    assert main(FIX) == code
    assert ada.list_user_policies(UserName="ada")["PolicyNames"] == written


def test_the_sandbox_demo_fix_then_undo(aws_env, capsys, monkeypatch):
    # Given the sandbox's seeded account, signed in as ada
    account = seed(aws_env)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", account.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", account.secret_access_key)
    # When fix --yes runs: everything lands and the re-check is all OK (exit 0)
    assert main([*FIX, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Applied 4 of 4 changes (applied)." in out
    backup_id = out.split("Backup id: ", 1)[1].split()[0]
    assert main(["check", "--engine", "local", "--json"]) == 0
    statuses = {
        f"{t['target']}/{s['sid']}": s["status"]
        for t in json.loads(capsys.readouterr().out)["targets"]
        for s in t["statements"]
        if s["status"] != "ok" and not s["legacy"]
    }
    assert statuses == {}
    # When it is undone, the gaps are back
    assert main(["undo", backup_id, "--yes"]) == 0
    assert "gaps found" in capsys.readouterr().out
    assert main(["undo", backup_id, "--yes"]) == 2
    assert "already undone" in capsys.readouterr().err


def test_a_refused_write_prints_the_hand_off_and_one_line_not_a_traceback(aws_env, monkeypatch, capsys):
    # Given a user who may read IAM but not write, under moto's request authorization
    iam = boto3.client("iam")
    iam.create_user(UserName="ada")
    reads = {"Effect": "Allow", "Action": ["iam:Get*", "iam:List*", "sts:GetCallerIdentity"], "Resource": "*"}
    iam.put_user_policy(
        UserName="ada",
        PolicyName="ReadOnly",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [reads]}),
    )
    keys = iam.create_access_key(UserName="ada")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", keys["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", keys["SecretAccessKey"])
    _moto_auth(aws_env, "0")
    try:
        code = main([*FIX, "--yes"])
    finally:
        _moto_auth(aws_env, "inf")
    captured = capsys.readouterr()
    assert code == 2
    assert "REFUSED w1 iam:PutUserPolicy" in captured.out
    assert "aws iam put-user-policy --user-name ada" in captured.out
    assert "Traceback" not in captured.out + captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_handoff_formats(ada, capsys):
    # Given gaps; When the hand-off is asked for as CloudFormation
    assert main(["handoff", "--engine", "local", "--format", "cloudformation"]) == 1
    template = yaml.safe_load(capsys.readouterr().out)
    # Then it is valid YAML with the user's and the role's policies
    types = {r["Type"] for r in template["Resources"].values()}
    assert types == {"AWS::IAM::UserPolicy", "AWS::IAM::RolePolicy"}
    # And as JSON and text, with the CLI commands
    assert main(["handoff", "--engine", "local", "--format", "json"]) == 1
    bundle = json.loads(capsys.readouterr().out)
    assert "aws iam update-assume-role-policy --role-name SagemakerJupyterSchedulerRole" in bundle["cli_commands"]
    assert main(["handoff", "--engine", "local"]) == 1
    assert "## AWS CLI" in capsys.readouterr().out
    # And nothing was written by any of it
    assert ada.list_user_policies(UserName="ada")["PolicyNames"] == []


def test_undo_of_an_unknown_backup_exits_2(aws_env, capsys):
    assert main(["undo", "20990101T000000Z-00000000", "--yes"]) == 2
    assert "no backup" in capsys.readouterr().err.lower()
    assert main(["undo", "not-an-id", "--yes"]) == 2


def _moto_auth(url: str, count: str) -> None:
    req = urllib.request.Request(
        f"{url}/moto-api/reset-auth", data=count.encode(), method="POST", headers={"Content-Type": "text/plain"}
    )
    urllib.request.urlopen(req, timeout=10).read()


# -- issue 13, finding 4: every state-dir or backup problem is exit 2 and one line, never a traceback --


def _one_line_error(capsys, code: int, state_dir) -> str:
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert str(state_dir) not in err  # finding 8: files named relative to the state dir
    return err


def test_state_dir_under_a_file_is_exit_2_one_line(ada, capsys, tmp_path, monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file")
    monkeypatch.setenv("NBJOB_IAM_STATE_DIR", str(blocker / "state"))
    err = _one_line_error(capsys, main([*FIX, "--yes"]), blocker)
    assert "cannot be created" in err


@pytest.mark.parametrize("damage", ["truncate", "drop_entries", "chmod_777", "delete"])
def test_a_damaged_backup_or_unsafe_state_dir_is_exit_2_one_line(ada, capsys, tmp_path, damage):
    # Given an applied fix and its backup
    assert main([*FIX, "--yes", "--json"]) == 0
    backup_id = json.loads(capsys.readouterr().out)["result"]["backup_id"]
    state = tmp_path / "state"
    path = state / "backups" / f"{backup_id}.json"
    # When the backup or the state dir is damaged
    if damage == "truncate":
        path.write_text(path.read_text()[:40])
    elif damage == "drop_entries":
        data = json.loads(path.read_text())
        del data["entries"]
        path.write_text(json.dumps(data))
    elif damage == "chmod_777":
        state.chmod(0o777)
    else:
        path.unlink()
    # Then undo exits 2 with one line
    err = _one_line_error(capsys, main(["undo", backup_id, "--yes"]), state)
    expected = {
        "truncate": "damaged",
        "drop_entries": "no list of entries",
        "chmod_777": "writable by other users",
        "delete": "There is no backup",
    }[damage]
    assert expected in err
    state.chmod(0o700)


def test_a_default_fix_of_custom_folders_and_a_key_verifies_and_is_scoped_to_them(ada, capsys, monkeypatch):
    # Given the scheduler's saved folders and an output key (JupyterLab's settings file)
    from jupyter_nbjob_iam.scheduler_settings import SCHEDULER_PLUGIN, SCHEDULER_SETTINGS_FILE

    key = boto3.client("kms").create_key(Description="notebook jobs")["KeyMetadata"]["Arn"]
    folder = os.path.join(os.environ["JUPYTERLAB_SETTINGS_DIR"], SCHEDULER_PLUGIN)
    os.makedirs(folder, exist_ok=True)
    options = {"s3_input": "s3://team-in/nb", "s3_output": "s3://team-out/results", "sm_output_kms_key": key}
    with open(os.path.join(folder, SCHEDULER_SETTINGS_FILE), "w") as fh:
        json.dump({"advancedOptions": options}, fh)
    # When the default fix runs
    code = main([*FIX, "--yes", "--json"])
    out = json.loads(capsys.readouterr().out)
    # Then the re-check verifies it, and what was written names only those buckets and that key
    assert out["result"]["verified"] is True, out["result"].get("still_missing")
    written = json.dumps([w["after"] for w in out["plan"]["writes"]])
    assert "team-in/nb/*" in written and "team-out/results/*" in written and key in written
    assert "sagemaker-automated-execution-*" not in written and "role/*" not in written
    assert out["plan"]["inputs"]["s3_input"] == "s3://team-in/nb" and code == 0


def test_fix_takes_the_folders_and_keys_as_flags_like_check(ada, capsys):
    # Given no saved scheduler settings, but the folders and the volume key given as flags
    key = boto3.client("kms").create_key(Description="volumes")["KeyMetadata"]["Arn"]
    flags = ["--s3-input", "s3://flag-in/nb", "--s3-output", "s3://flag-out/res", "--volume-kms-key", key]
    # When the default fix runs with them
    code = main([*FIX, *flags, "--yes", "--json"])
    out = json.loads(capsys.readouterr().out)
    # Then it is scoped to them, and the re-check (with the same inputs) verifies it
    written = json.dumps([w["after"] for w in out["plan"]["writes"]])
    assert "flag-in/nb/*" in written and "flag-out/res/*" in written and key in written
    assert out["plan"]["inputs"]["s3_output"] == "s3://flag-out/res"
    assert out["result"]["verified"] is True, out["result"].get("still_missing")
    assert code == 0
