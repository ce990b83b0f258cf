"""What the SageMaker scheduler's own JupyterLab settings say (its default execution role).

The scheduler stores a user default in the JupyterLab setting
``@amzn/sagemaker-jupyter-scheduler:advanced-options`` (``role_arn``). The file lives in the user
settings directory and is JSON5-ish (comments allowed). Reading it server-side lets the CLI and the
panel agree on the default role.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

SCHEDULER_PLUGIN = "@amzn/sagemaker-jupyter-scheduler"
SCHEDULER_SETTINGS_FILE = "advanced-options.jupyterlab-settings"
DEFAULT_ROLE_PREFIX = "SagemakerJupyterScheduler"

_COMMENT = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def user_settings_dir() -> Path:
    """JupyterLab's user settings directory, as JupyterLab resolves it."""
    env = os.environ.get("JUPYTERLAB_SETTINGS_DIR")
    if env:
        return Path(env)
    try:
        from jupyter_core.paths import jupyter_config_dir

        return Path(jupyter_config_dir()) / "lab" / "user-settings"
    except ImportError:  # pragma: no cover - jupyter_core ships with jupyter_server
        return Path.home() / ".jupyter" / "lab" / "user-settings"


def _loads_lenient(text: str) -> dict:
    text = _COMMENT.sub(lambda m: m.group(1) or "", text)
    text = _TRAILING_COMMA.sub(r"\1", text)
    data = json.loads(text or "{}")
    return data if isinstance(data, dict) else {}


def scheduler_default_role_arn(settings_dir: Path | None = None) -> str | None:
    """The scheduler's saved ``role_arn``, or None when unset, unreadable or not installed."""
    path = (settings_dir or user_settings_dir()) / SCHEDULER_PLUGIN / SCHEDULER_SETTINGS_FILE
    try:
        data = _loads_lenient(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("role_arn")
    return value.strip() if isinstance(value, str) and value.strip() else None
