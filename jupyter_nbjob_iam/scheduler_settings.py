"""What the SageMaker scheduler's own JupyterLab settings say: the user's saved defaults.

The scheduler (amazon-sagemaker-jupyter-scheduler 3.x) stores them in the JupyterLab setting
``@amzn/sagemaker-jupyter-scheduler:advanced-options``, nested under ``advancedOptions`` (its schema
allows no other top-level key)::

    {"advancedOptions": {"role_arn": "...", "s3_input": "s3://bucket/prefix", "s3_output": "...",
                         "sm_output_kms_key": "...", "sm_volume_kms_key": "...",
                         "enable_network_isolation": false}}

JupyterLab writes the file ``<user settings dir>/@amzn/sagemaker-jupyter-scheduler/
advanced-options.jupyterlab-settings`` in JSON5 (comments allowed). The directory is resolved the way
JupyterLab resolves it: ``JUPYTERLAB_SETTINGS_DIR``, else ``<jupyter config dir>/lab/user-settings``.
Empty strings are the schema's defaults and mean "not set". Reading it server-side lets the CLI, the
REST API and the panel agree on the inputs a check uses.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

SCHEDULER_PLUGIN = "@amzn/sagemaker-jupyter-scheduler"
SCHEDULER_SETTING_ID = f"{SCHEDULER_PLUGIN}:advanced-options"
SCHEDULER_SETTINGS_FILE = "advanced-options.jupyterlab-settings"
ADVANCED_OPTIONS = "advancedOptions"
DEFAULT_ROLE_PREFIX = "SagemakerJupyterScheduler"
FIELDS = ("role_arn", "s3_input", "s3_output", "sm_output_kms_key", "sm_volume_kms_key")

_COMMENT = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


@dataclass(frozen=True)
class SchedulerSettings:
    """The scheduler's saved defaults; None where unset (empty, missing or not a string)."""

    role_arn: str | None = None
    s3_input: str | None = None
    s3_output: str | None = None
    sm_output_kms_key: str | None = None
    sm_volume_kms_key: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return asdict(self)


def user_settings_dir() -> Path:
    """JupyterLab's user settings directory, as JupyterLab itself resolves it."""
    try:
        from jupyterlab.commands import get_user_settings_dir  # type: ignore[import-untyped]

        return Path(get_user_settings_dir())
    except ImportError:  # JupyterLab is not installed here: its own rule, repeated
        env = os.environ.get("JUPYTERLAB_SETTINGS_DIR")
        if env:
            return Path(env).absolute()
        from jupyter_core.paths import jupyter_config_dir

        return Path(jupyter_config_dir()) / "lab" / "user-settings"


def settings_file(settings_dir: Path | None = None) -> Path:
    return (settings_dir or user_settings_dir()) / SCHEDULER_PLUGIN / SCHEDULER_SETTINGS_FILE


def _loads_lenient(text: str) -> Any:
    try:
        import json5  # what jupyterlab_server reads settings with

        return json5.loads(text) if text.strip() else {}
    except ImportError:
        text = _COMMENT.sub(lambda m: m.group(1) or "", text)
        text = _TRAILING_COMMA.sub(r"\1", text)
        return json.loads(text or "{}")


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def read_scheduler_settings(settings_dir: Path | None = None) -> SchedulerSettings:
    """The saved defaults; all None when the file is missing, unreadable or not the scheduler's shape."""
    try:
        data = _loads_lenient(settings_file(settings_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return SchedulerSettings()
    options = data.get(ADVANCED_OPTIONS) if isinstance(data, dict) else None
    if not isinstance(options, dict):
        return SchedulerSettings()
    return SchedulerSettings(**{name: _text(options.get(name)) for name in FIELDS})


def scheduler_default_role_arn(settings_dir: Path | None = None) -> str | None:
    """The scheduler's saved ``advancedOptions.role_arn``, or None when unset, unreadable or not installed."""
    return read_scheduler_settings(settings_dir).role_arn
