"""jupyter_nbjob_iam: check and fix the IAM permissions SageMaker notebook jobs need."""

from __future__ import annotations

__version__ = "0.1.0"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyter_nbjob_iam"}]


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    from .app import NbJobIamApp

    return [{"module": "jupyter_nbjob_iam", "app": NbJobIamApp}]
