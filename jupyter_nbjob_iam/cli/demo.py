"""``jupyter nbjob-iam demo``: the sandbox and JupyterLab together (what ``make demo`` runs)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="start the sandbox AWS and JupyterLab pointed at it (no AWS account needed)",
        description="Start the seeded sandbox AWS on 127.0.0.1 and JupyterLab with the panel "
        "pointed at it. Ctrl-C stops both.",
    )
    parser.add_argument("--port", type=int, default=8888, help="JupyterLab's port (default 8888)")
    parser.add_argument("--sandbox-port", type=int, default=5555, help="the sandbox's port (default 5555)")
    parser.add_argument("--no-browser", action="store_true", default=True, help=argparse.SUPPRESS)
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from ..sandbox.server import format_env, start_sandbox

    sandbox = start_sandbox(args.sandbox_port)
    try:
        print(format_env(sandbox.env, sandbox.account), flush=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(sandbox.env)
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--ip=127.0.0.1",
            f"--port={args.port}",
            "--no-browser",
            "--ServerApp.port_retries=0",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        print("Starting JupyterLab; open the URL with its token printed below.", flush=True)
        lab = subprocess.Popen(command, env=env)
        try:
            return lab.wait()
        except KeyboardInterrupt:
            lab.terminate()
            lab.wait(timeout=30)
            return 0
    finally:
        sandbox.stop()
