"""Jupyter server configuration for the Galata UI tests.

Galata's helper opens the server for the test browser (no token); never use this elsewhere.

The AWS side is the sandbox: a seeded moto server started in this process (demo user ada, role
SagemakerJupyterSchedulerRole missing EventBridge trust, ...), reached through the standard AWS_*
variables; nothing can reach real AWS. Each server gets a fresh sandbox and its own plan/backup store.

Error paths: the UI tests start a second server with faults chosen by environment variables, JSON
objects read here and handed to the fault-injecting service:

    NBJOB_IAM_UI_FAULTS='{"apply": "access_denied"}'          # service method -> fault
    NBJOB_IAM_UI_AWS_FAULTS='{"iam:PutUserPolicy": "AccessDenied"}'   # AWS call -> AWS error code
"""

import json
import os
import tempfile
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

from jupyter_nbjob_iam.sandbox.server import start_sandbox

configure_jupyter_server(c)  # noqa: F821

c.ServerApp.allow_root = True  # noqa: F821  (CI runs as root)
c.FileContentsManager.delete_to_trash = False  # noqa: F821
c.ServerApp.ip = "127.0.0.1"  # noqa: F821

_state = Path(tempfile.mkdtemp(prefix="nbjob-iam-ui-"))
for name in [k for k in os.environ if k.startswith("AWS_")]:
    del os.environ[name]
SANDBOX = start_sandbox(0, state_dir=_state / "sandbox")
os.environ.update(SANDBOX.env)

c.NbJobIamService.state_dir = str(_state / "backups")  # noqa: F821

_faults = json.loads(os.environ.get("NBJOB_IAM_UI_FAULTS") or "{}")
_aws_faults = json.loads(os.environ.get("NBJOB_IAM_UI_AWS_FAULTS") or "{}")
if _faults or _aws_faults:
    c.NbJobIamApp.service_class = "jupyter_nbjob_iam.testing.FaultInjectingService"  # noqa: F821
    c.FaultInjectingService.faults = _faults  # noqa: F821
    c.FaultInjectingService.aws_faults = _aws_faults  # noqa: F821
