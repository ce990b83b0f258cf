"""Starting the sandbox, its environment and profile files, and moto's request authorization."""

from __future__ import annotations

import configparser
import io
import json
import shlex
import socket
import stat
import threading
import time

import boto3
import pytest
from botocore.exceptions import ClientError

from jupyter_nbjob_iam.errors import InputError
from jupyter_nbjob_iam.sandbox import (
    UNSET_VARS,
    apply_env,
    format_env,
    main_sandbox,
    run_sandbox,
    sandbox_env,
    seed,
    start_sandbox,
)

ENV_KEYS = {
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
}
ADA = "arn:aws:iam::123456789012:user/notebook-users/ada"


def test_env_and_profile_files(aws_env, tmp_path, monkeypatch):
    account = seed(aws_env, "eu-west-1")
    env = sandbox_env(account, tmp_path / "state")
    assert set(env) == ENV_KEYS
    assert env["AWS_ENDPOINT_URL"] == aws_env
    assert env["AWS_ACCESS_KEY_ID"] == account.access_key_id
    assert env["AWS_SECRET_ACCESS_KEY"] == account.secret_access_key
    assert env["AWS_DEFAULT_REGION"] == env["AWS_REGION"] == "eu-west-1"
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        path = tmp_path / "state" / env[name].rsplit("/", 1)[1]
        assert str(path) == env[name] and path.is_file()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    config = configparser.ConfigParser()
    config.read(env["AWS_CONFIG_FILE"])
    assert config.sections() == ["profile sandbox"]
    assert config["profile sandbox"]["region"] == "eu-west-1"
    assert config["profile sandbox"]["endpoint_url"] == aws_env
    info = json.loads((tmp_path / "state" / "sandbox.json").read_text())
    assert info["user_arn"] == ADA and info["profile"] == "sandbox"

    # The "sandbox" profile alone reaches the sandbox as ada: no endpoint or keys in the environment.
    for name in list(ENV_KEYS) + list(UNSET_VARS):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", env["AWS_CONFIG_FILE"])
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", env["AWS_SHARED_CREDENTIALS_FILE"])
    session = boto3.Session(profile_name="sandbox")
    assert session.available_profiles == ["sandbox"]
    assert session.region_name == "eu-west-1"
    assert session.client("sts").get_caller_identity()["Arn"] == ADA

    # And the environment alone does too.
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert boto3.Session().client("sts").get_caller_identity()["Arn"] == ADA


def test_format_env_is_shell_and_says_the_keys_are_fake(aws_env, tmp_path):
    account = seed(aws_env)
    env = sandbox_env(account, tmp_path)
    text = format_env(env, account)
    assert "FAKE" in text and "moto" in text
    exported = {}
    for line in text.splitlines():
        if line.startswith("export "):
            name, _, value = line[len("export ") :].partition("=")
            exported[name] = shlex.split(value)[0]
        elif line.startswith("unset "):
            assert set(line.split()[1:]) == set(UNSET_VARS)
        else:
            assert line.startswith("#"), line
    assert exported == env


def test_apply_env_drops_what_would_leak_in():
    base = {"AWS_PROFILE": "prod", "AWS_SESSION_TOKEN": "t", "PATH": "/bin", "AWS_REGION": "eu-west-3"}
    out = apply_env({"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIA"}, base)
    assert out == {"PATH": "/bin", "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIA"}


def test_start_sandbox_with_auth_lets_ada_read_and_fix_only(aws_env, tmp_path):
    with start_sandbox(0, state_dir=tmp_path, enable_auth=True) as sb:
        assert sb.url.startswith("http://127.0.0.1:") and sb.url != aws_env
        env = sb.env
        ada = boto3.Session(
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name=env["AWS_REGION"],
        )
        iam = ada.client("iam", endpoint_url=sb.url)
        assert ada.client("sts", endpoint_url=sb.url).get_caller_identity()["Arn"] == ADA
        # What the check reads.
        assert iam.get_user()["User"]["Arn"] == ADA
        assert len(iam.list_roles()["Roles"]) == 3
        iam.list_attached_user_policies(UserName="ada")
        iam.get_role_policy(RoleName="SagemakerJupyterSchedulerRole", PolicyName="NotebookJobArtifacts")
        iam.get_policy_version(PolicyArn=sb.account.managed_policy_arn, VersionId="v2")
        assert iam.get_account_summary()["SummaryMap"]["UserPolicySizeQuota"] == 2048
        # What the fix writes.
        doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"events:PutRule","Resource":"*"}]}'
        iam.put_user_policy(UserName="ada", PolicyName="SageMakerNotebookJobs", PolicyDocument=doc)
        iam.put_role_policy(
            RoleName="SagemakerJupyterSchedulerRole", PolicyName="SageMakerNotebookJobs", PolicyDocument=doc
        )
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": ["sagemaker.amazonaws.com", "events.amazonaws.com"]},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        iam.update_assume_role_policy(RoleName="SagemakerJupyterSchedulerRole", PolicyDocument=json.dumps(trust))
        arn = iam.create_policy(PolicyName="SageMakerNotebookJobsManaged", PolicyDocument=doc)["Policy"]["Arn"]
        iam.attach_role_policy(RoleName="SagemakerJupyterSchedulerRole", PolicyArn=arn)
        # Nothing more.
        with pytest.raises(ClientError) as exc:
            iam.create_user(UserName="mallory")
        assert exc.value.response["Error"]["Code"] == "AccessDenied"
        # Authorization is really on: keys moto does not know are refused.
        stranger = boto3.client(
            "iam",
            endpoint_url=sb.url,
            region_name="us-east-1",
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
            aws_secret_access_key="nope",
        )
        with pytest.raises(ClientError):
            stranger.list_users()
    # Stopping switches moto's process-wide authorization off again.
    iam = boto3.client("iam", endpoint_url=aws_env, region_name="us-east-1")
    iam.list_users()


def test_run_sandbox_prints_and_stops(aws_env, tmp_path):
    out = io.StringIO()
    stop = threading.Event()
    result: list[int] = []
    worker = threading.Thread(
        target=lambda: result.append(run_sandbox(0, tmp_path, True, out=out, stop_event=stop)), daemon=True
    )
    worker.start()
    deadline = time.monotonic() + 60
    while "AWS_SHARED_CREDENTIALS_FILE" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.1)
    text = out.getvalue()
    assert "export AWS_ENDPOINT_URL=http://127.0.0.1:" in text
    url = next(line for line in text.splitlines() if line.startswith("export AWS_ENDPOINT_URL="))
    url = url.split("=", 1)[1]
    assert boto3.client("iam", endpoint_url=url, region_name="us-east-1").get_user(UserName="ada")
    stop.set()
    worker.join(30)
    assert not worker.is_alive() and result == [0]
    assert out.getvalue().endswith("# sandbox stopped\n")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=2).close()


def test_busy_port_is_a_clear_error(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(InputError, match=f"Port {port}"):
            start_sandbox(port)
        assert main_sandbox(["--port", str(port), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("jupyter nbjob-iam sandbox: Port ") and err.count("\n") == 1


@pytest.mark.parametrize("port", [-1, 70000, "5055"])
def test_bad_port(port):
    with pytest.raises(InputError):
        start_sandbox(port)  # type: ignore[arg-type]
