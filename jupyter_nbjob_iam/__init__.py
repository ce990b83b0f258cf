"""jupyter_nbjob_iam: check and fix the IAM permissions SageMaker notebook jobs need."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    # package.json holds the version; hatch writes it into the installed metadata.
    __version__ = version("jupyter_nbjob_iam")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0.0.0+unknown"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyter_nbjob_iam"}]


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    from .app import NbJobIamApp

    return [{"module": "jupyter_nbjob_iam", "app": NbJobIamApp}]
