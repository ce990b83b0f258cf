"""Secrets: with known credentials (a moto user's access key id and secret key; a session token from
sts:AssumeRole), run check, plan, apply and undo through the REST API and check, handoff, fix and undo
through the CLI, with logging at DEBUG, and search everything written for the three values: every
HTTP response body, every log record of the extension and of Jupyter, the CLI's
stdout and stderr, and every file under the test's directory (plans, backups, journal, the hand-off).

An AWS error that quotes the key id and the token back (the proxy's ``leaky`` fault) must reach the
panel and the terminal scrubbed too.

Not searched: botocore's and urllib3's own wire log (loggers ``botocore.*``/``urllib3.*``), which is
silent unless someone configures it: the last test pins that the extension never switches it on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from jupyter_nbjob_iam.cli import main

from .hardening_helpers import ACCOUNT, ROLE, rest, seed

CLIENT_WIRE_LOGGERS = ("botocore", "urllib3", "boto3", "s3transfer")
WIRE_LOGGERS = (*CLIENT_WIRE_LOGGERS, "moto", "werkzeug")  # moto's own: the fake AWS side


class Sink(logging.Handler):
    """Every record, formatted with its traceback, of the loggers it is attached to."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.name, self.format(record)))

    def ours(self) -> str:
        return "\n".join(text for name, text in self.lines if not name.startswith(WIRE_LOGGERS))


@pytest.fixture
def debug_logs(request) -> Iterator[Sink]:
    """Everything logged at DEBUG: the root logger (the extension's own ``jupyter_nbjob_iam``
    propagates there) and Jupyter's application loggers (which do not propagate)."""
    sink = Sink()
    names = ["", "jupyter_nbjob_iam", "tornado", "ServerApp", "NbJobIamApp", "ExtensionApp"]
    if "jp_serverapp" in request.fixturenames:
        names.append(request.getfixturevalue("jp_serverapp").log.name)
    loggers = [logging.getLogger(n) for n in dict.fromkeys(names)]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(sink)
        lg.setLevel(logging.DEBUG)
    yield sink
    for lg, level in zip(loggers, levels, strict=True):
        lg.removeHandler(sink)
        lg.setLevel(level)


@pytest.fixture(params=["user-keys", "session-token"])
def credentials(request, iam, sts, use_keys, quick_retries) -> dict[str, str]:
    """ada's long-term keys, or a session of a role ``NotebookUser`` (key id, secret and token)."""
    keys = seed(iam)
    if request.param == "session-token":
        root = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
        trust = {"Version": "2012-10-17", "Statement": [root]}
        arn = iam.create_role(RoleName="NotebookUser", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        keys = sts.assume_role(RoleArn=arn, RoleSessionName="nb")["Credentials"]
    use_keys(keys)
    return {k: keys[k] for k in ("AccessKeyId", "SecretAccessKey", "SessionToken") if keys.get(k)}


def files_under(root: Path) -> str:
    return "\n".join(p.read_text("utf-8", "replace") for p in sorted(root.rglob("*")) if p.is_file())


def assert_absent(credentials: dict[str, str], where: str, text: str) -> None:
    for name, value in credentials.items():
        assert value not in text, f"{name} found in {where}"


async def test_rest_check_fix_undo_leak_nothing(credentials, jp_fetch, debug_logs, tmp_path, state_dir):
    # Given known credentials, and the panel's whole journey at DEBUG
    seen: list[str] = []

    async def call(method: str, path: str, body=None) -> dict:
        code, payload = await rest(jp_fetch, method, path, body)
        assert code == 200, (path, payload)
        seen.append(json.dumps(payload))
        return payload

    for path in ("context", "identity", "roles"):
        await call("GET", path)
    await call("POST", "check", {"role_arn": ROLE, "engine": "local"})
    plan = await call("POST", "plan", {"role_arn": ROLE, "engine": "local"})
    applied = await call("POST", "apply", {"plan_id": plan["plan_id"]})
    assert applied["status"] == "applied" and applied["backup_id"]
    await call("POST", "undo", {"backup_id": applied["backup_id"]})
    # Then none of the three values is in any response, log record or file written
    assert plan["writes"] and plan["handoff"]["text"]
    assert_absent(credentials, "the REST responses", "\n".join(seen))
    assert_absent(credentials, "the logs", debug_logs.ours())
    assert list(state_dir.rglob("backups/*.json")), "the apply wrote a backup"
    assert_absent(credentials, "the files written", files_under(tmp_path))


def test_cli_check_handoff_fix_undo_leak_nothing(credentials, capsys, debug_logs, tmp_path, state_dir):
    # Given the same credentials, and the command-line journey at DEBUG
    store = ["--state-dir", str(state_dir)]
    outputs: list[str] = []

    def cli(*argv: str) -> str:
        code = main(list(argv))
        out, err = capsys.readouterr()
        outputs.append(out + err)
        assert code in (0, 1), (argv, err)
        return out

    cli("check", "--role", ROLE, "--engine", "local", "--json")
    cli("check", "--role", ROLE, "--engine", "local")
    cli("handoff", "--role", ROLE, "--engine", "local", "--format", "json", *store)
    cli("handoff", "--role", ROLE, "--engine", "local", *store)
    fixed = json.loads(
        cli("fix", "--role", ROLE, "--engine", "local", "--yes", "--json", "--verify-timeout", "5", *store)
    )
    cli("undo", fixed["result"]["backup_id"], "--yes", *store)
    # Then nothing the CLI printed, logged or stored holds them
    assert_absent(credentials, "the CLI's output", "\n".join(outputs))
    assert_absent(credentials, "the logs", debug_logs.ours())
    assert_absent(credentials, "the files written", files_under(tmp_path))


async def test_aws_error_quoting_the_credentials_is_scrubbed(credentials, proxy, jp_fetch, capsys, debug_logs):
    # Given AWS answering with an error message that quotes the key id and the token back
    proxy.add("leaky")
    # When the panel and the CLI meet it
    code, body = await rest(jp_fetch, "POST", "check", {"role_arn": ROLE, "engine": "local"})
    exit_code = main(["check", "--role", ROLE, "--engine", "local"])
    out, err = capsys.readouterr()
    # Then both say what happened, without the values
    assert code == 502 and body["error_code"] == "credentials", body
    assert exit_code == 2 and err.startswith("error: ")
    assert proxy.injected, "the fault was met"
    assert_absent(credentials, "the error response", json.dumps(body))
    assert_absent(credentials, "the CLI's output", out + err)
    assert_absent(credentials, "the logs", debug_logs.ours())


async def test_extension_never_switches_on_botocores_wire_log(credentials, jp_fetch):
    # botocore logs request headers (the key id, the session token) at DEBUG: the extension leaves
    # those loggers as it found them, so they stay silent unless an administrator configures them
    def state() -> dict:
        return {n: (logging.getLogger(n).level, list(logging.getLogger(n).handlers)) for n in CLIENT_WIRE_LOGGERS}

    before = state()
    code, _ = await rest(jp_fetch, "POST", "check", {"role_arn": ROLE, "engine": "local"})
    assert code == 200
    assert state() == before
    for level, handlers in state().values():  # the libraries' own defaults: NOTSET, a NullHandler
        assert level == logging.NOTSET and all(isinstance(h, logging.NullHandler) for h in handlers), state()
