"""Start the scheduler venv's `jupyter lab` with both extensions, against the sandbox (moto)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The UI tests' server configuration: no token (local test server only), an in-process sandbox.
TEST_CONFIG = REPO / "ui-tests" / "jupyter_server_test_config.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    def __init__(self, tmp: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.settings_dir = tmp / "user-settings"
        root = tmp / "root"
        root.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(
            JUPYTERLAB_SETTINGS_DIR=str(self.settings_dir),
            JUPYTERLAB_GALATA_ROOT_DIR=str(root),
            JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"),
            HOME=str(tmp / "home"),
            # The fix's per-principal locks are shared by the user's processes; the sandbox user is
            # the same in every test run on this machine.
            NBJOB_IAM_LOCK_DIR=str(tmp / "locks"),
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        )
        (tmp / "home").mkdir(parents=True, exist_ok=True)
        self.log = open(tmp / "lab.log", "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "jupyter"),
                "lab",
                f"--config={TEST_CONFIG}",
                f"--ServerApp.port={self.port}",
                "--no-browser",
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.proc.returncode}: see {tmp / 'lab.log'}")
            try:
                urllib.request.urlopen(f"{self.url}/lab", timeout=2).read()
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("jupyter lab did not start within 120 s")

    def request(self, method: str, path: str, body: object | None = None) -> tuple[int, object]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"{self.url}{path}", data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                text = resp.read().decode()
                return resp.status, json.loads(text) if text else None
        except urllib.error.HTTPError as err:
            text = err.read().decode()
            try:
                return err.code, json.loads(text)
            except ValueError:
                return err.code, text

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
