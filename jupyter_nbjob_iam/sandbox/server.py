"""Run the sandbox: moto's real HTTP server on 127.0.0.1, seeded, plus the environment to use it.

```python
from jupyter_nbjob_iam.sandbox import start_sandbox, run_sandbox, main_sandbox
with start_sandbox(port=0, state_dir=tmp) as sb:   # non-blocking (tests, scripts)
    sb.url, sb.account, sb.env                       # env: AWS_ENDPOINT_URL, ada's keys, region, files
run_sandbox(5555, state_dir)                         # blocking until Ctrl-C; prints `export ...` lines
main_sandbox(["--port", "5555"])                     # argparse front for `jupyter nbjob-iam sandbox`
```

The server runs in this process (moto's backends are per process), so run one sandbox per process.
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import shlex
import signal
import socket
import sys
import threading
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

from ..errors import InputError, NbJobIamError
from .seed import SandboxAccount, seed

DEFAULT_PORT = 5555  # as `make demo` (SANDBOX_PORT)
DEFAULT_REGION = "us-east-1"
SANDBOX_PROFILE = "sandbox"
# Variables that would send the sandbox's requests elsewhere, or mix in real credentials.
UNSET_VARS: tuple[str, ...] = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ENDPOINT_URL_IAM",
    "AWS_ENDPOINT_URL_STS",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
)


def default_state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "jupyter-nbjob-iam" / "sandbox"


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, 0o600)


def write_profile_files(account: SandboxAccount, state_dir: Path | str) -> tuple[Path, Path]:
    """Write an AWS config and credentials file with one profile, ``sandbox``; return their paths.

    The profile carries the region and the endpoint too, so choosing it in the panel's profile picker
    reaches the sandbox even without ``AWS_ENDPOINT_URL``.
    """
    state = Path(state_dir)
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    config = state / "aws_config"
    credentials = state / "aws_credentials"
    _write_private(
        config,
        f"[profile {SANDBOX_PROFILE}]\n"
        f"region = {account.region}\n"
        f"endpoint_url = {account.endpoint_url}\n"
        "output = json\n",
    )
    _write_private(
        credentials,
        "# moto's fake keys for the sandbox user; they only work against the local sandbox.\n"
        f"[{SANDBOX_PROFILE}]\n"
        f"aws_access_key_id = {account.access_key_id}\n"
        f"aws_secret_access_key = {account.secret_access_key}\n",
    )
    info = asdict(account)
    info["profile"] = SANDBOX_PROFILE
    _write_private(state / "sandbox.json", json.dumps(info, indent=2) + "\n")
    return config, credentials


def sandbox_env(account: SandboxAccount, state_dir: Path | str | None = None) -> dict[str, str]:
    """The environment variables that point boto3 (and the scheduler) at the sandbox as ada.

    Writes the profile files into ``state_dir`` (default: ``default_state_dir()``). Also remove the
    variables in ``UNSET_VARS`` from the environment you apply this to (``apply_env`` does both).
    """
    config, credentials = write_profile_files(account, state_dir or default_state_dir())
    return {
        "AWS_ENDPOINT_URL": account.endpoint_url,
        "AWS_ACCESS_KEY_ID": account.access_key_id,
        "AWS_SECRET_ACCESS_KEY": account.secret_access_key,
        "AWS_DEFAULT_REGION": account.region,
        "AWS_REGION": account.region,
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
    }


def apply_env(env: dict[str, str], base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default ``os.environ``) without ``UNSET_VARS``, updated with ``env``: for subprocesses."""
    out = {k: v for k, v in (os.environ if base is None else base).items() if k not in UNSET_VARS}
    out.update(env)
    return out


def format_env(env: dict[str, str], account: SandboxAccount) -> str:
    """Shell lines to paste into the terminal that starts JupyterLab."""
    lines = [
        f"# jupyter nbjob-iam sandbox: a local fake AWS account (moto) at {account.endpoint_url}",
        f"#   user: {account.user_arn}",
        f"#   execution role: {account.role_arn}",
        "# The keys below are moto's FAKE keys for the demo user; they only work against this sandbox.",
        "# Paste these lines into the shell that starts JupyterLab. Ctrl-C here stops the sandbox.",
        "unset " + " ".join(UNSET_VARS),
    ]
    lines += [f"export {name}={shlex.quote(value)}" for name, value in env.items()]
    return "\n".join(lines) + "\n"


def _moto_api(url: str, path: str, body: bytes = b"") -> None:
    # A text body: with urllib's default form content type the server would read an empty body.
    req = urllib.request.Request(
        f"{url}/moto-api/{path}", data=body, method="POST", headers={"Content-Type": "text/plain"}
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()


def set_auth(url: str, enabled: bool) -> None:
    """Switch moto's request authorization on (every request checked against IAM) or off."""
    _moto_api(url, "reset-auth", b"0" if enabled else b"inf")


def _check_port_free(port: int) -> None:
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise InputError(
                    f"Port {port} on 127.0.0.1 is not available for the sandbox ({exc.strerror}). "
                    "Choose another one with --port.",
                    details={"field": "port", "value": port},
                ) from exc
            raise


@dataclass
class Sandbox:
    """A running, seeded sandbox. ``stop()`` (or leaving the ``with`` block) shuts the server down."""

    url: str
    account: SandboxAccount
    env: dict[str, str]
    state_dir: Path
    auth_enabled: bool
    _server: object = field(repr=False)

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            if self.auth_enabled:
                try:
                    set_auth(self.url, False)  # moto's auth switch is process-wide: leave it off
                except OSError:
                    pass
            server.stop()  # type: ignore[attr-defined]

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_sandbox(
    port: int = 0,
    *,
    region: str = DEFAULT_REGION,
    state_dir: Path | str | None = None,
    enable_auth: bool = False,
    user_full_access: bool = False,
    start_timeout: float = 30.0,
) -> Sandbox:
    """Start moto's server on 127.0.0.1:``port`` (0 = any free port), reset and seed it.

    AWS managed policies are loaded (``MOTO_IAM_LOAD_MANAGED_POLICIES=true`` is set before the server
    starts, and the reset re-creates the backends with them). ``enable_auth`` switches on moto's
    request authorization after seeding, so only ada's keys work, with her policies.
    """
    if not isinstance(port, int) or not 0 <= port <= 65535:
        raise InputError(f"The port {port!r} is not a TCP port number.", details={"field": "port"})
    _check_port_free(port)
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    # No access-log line per AWS call, and no traceback when the check's "auto" engine probes
    # iam:SimulatePrincipalPolicy, which moto lacks (the check then falls back to local evaluation).
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    starter = threading.Thread(target=server.start, name="nbjob-iam-sandbox-start", daemon=True)
    starter.start()
    starter.join(start_timeout)
    if starter.is_alive():
        raise NbJobIamError(
            f"moto's server did not start on 127.0.0.1:{port} within {start_timeout:.0f} s.",
            error_code="sandbox_start_failed",
        )
    host, bound_port = server.get_host_and_port()
    url = f"http://{host}:{bound_port}"
    try:
        _moto_api(url, "reset")
        set_auth(url, False)
        account = seed(url, region, user_full_access=user_full_access)
        state = Path(state_dir) if state_dir else default_state_dir()
        env = sandbox_env(account, state)
        if enable_auth:
            set_auth(url, True)
    except BaseException:
        server.stop()
        raise
    return Sandbox(url=url, account=account, env=env, state_dir=state, auth_enabled=enable_auth, _server=server)


def run_sandbox(
    port: int = DEFAULT_PORT,
    state_dir: Path | str | None = None,
    print_env: bool = True,
    *,
    region: str = DEFAULT_REGION,
    enable_auth: bool = False,
    out: IO[str] | None = None,
    stop_event: threading.Event | None = None,
) -> int:
    """Start the sandbox, print the ``export`` lines, and block until Ctrl-C (or SIGTERM, or
    ``stop_event``); then stop it. Returns 0."""
    out = out or sys.stdout
    stop = stop_event or threading.Event()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    sandbox = start_sandbox(port, region=region, state_dir=state_dir, enable_auth=enable_auth)
    try:
        if print_env:
            out.write(format_env(sandbox.env, sandbox.account))
            if enable_auth:
                out.write("# moto's request authorization is ON: only the demo user's keys work.\n")
            out.flush()
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if print_env:
            out.write("# sandbox stopped\n")
            out.flush()
    return 0


def main_sandbox(argv: list[str] | None = None) -> int:
    """``jupyter nbjob-iam sandbox [--port N] [--region R] [--state-dir DIR] [--auth] [--quiet]``.

    Exit codes: 0 after Ctrl-C, 2 when the sandbox cannot start (one-line reason on stderr).
    """
    parser = argparse.ArgumentParser(
        prog="jupyter nbjob-iam sandbox",
        description="Start a local fake AWS account (moto) seeded with a notebook-job demo; no AWS "
        "account needed. Prints the environment variables to point JupyterLab at it.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})")
    parser.add_argument("--region", default=DEFAULT_REGION, help=f"AWS region (default {DEFAULT_REGION})")
    parser.add_argument(
        "--state-dir", default=None, help=f"where to write the profile files (default {default_state_dir()})"
    )
    parser.add_argument("--auth", action="store_true", help="switch on moto's request authorization")
    parser.add_argument("--quiet", action="store_true", help="do not print the environment")
    args = parser.parse_args(argv)
    try:
        return run_sandbox(args.port, args.state_dir, not args.quiet, region=args.region, enable_auth=args.auth)
    except NbJobIamError as exc:
        print(f"jupyter nbjob-iam sandbox: {exc.message}", file=sys.stderr)
        return 2
