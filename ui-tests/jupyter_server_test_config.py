"""Jupyter server configuration for the Galata UI tests.

Galata's helper opens the server for the test browser (no token); never use this elsewhere.
The AWS side is an isolated profile file so the panel shows known profiles and region.
"""

import os
import tempfile
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821

c.ServerApp.allow_root = True  # noqa: F821  (CI runs as root)
c.FileContentsManager.delete_to_trash = False  # noqa: F821
c.ServerApp.ip = "127.0.0.1"  # noqa: F821

_aws_dir = Path(tempfile.mkdtemp(prefix="nbjob-iam-ui-aws-"))
(_aws_dir / "config").write_text(
    "[default]\nregion = eu-west-1\n\n[profile research]\nregion = us-west-2\n"
)
(_aws_dir / "credentials").write_text("")
for name in [k for k in os.environ if k.startswith("AWS_")]:
    del os.environ[name]
os.environ["AWS_CONFIG_FILE"] = str(_aws_dir / "config")
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = str(_aws_dir / "credentials")
