"""Environment pre-flight: which SageMaker scheduler is installed here, and will it work outside Studio?

No IAM permission helps when the scheduler itself cannot create a job in this environment, so the
report says so before anyone schedules. Read from the released packages of
``amazon-sagemaker-jupyter-scheduler`` (registry source distributions):

- Every 3.x release on the registry (all 26, 3.0.0 through 3.2.2, read) converts each new job with
  ``model_converter``, which calls
  ``providers/studio_image_metadata.get_app_type()``; that opens ``/opt/ml/metadata/resource-metadata.json``
  unconditionally. Only SageMaker Studio has the file, so outside Studio every "run now" and every new
  schedule fails with ``FileNotFoundError`` after the notebook was uploaded (the upload is then deleted).
- 2.x releases (for JupyterLab 3; 2.0.0, 2.2.0 and 2.2.24 read) do not read that file when creating a
  job: they work outside Studio, with the legacy notebook runner of the ``S3DriverAccess`` statements.

Not installed is a plain note, never an error: the check is still useful before installing it.
"""

from __future__ import annotations

import importlib.metadata
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEDULER_PACKAGE = "amazon-sagemaker-jupyter-scheduler"
STUDIO_METADATA_FILE = Path("/opt/ml/metadata/resource-metadata.json")
BLOCKED_MAJOR = 3  # the 3.x line: blocked outside Studio (see module docstring)
WORKING_MAJOR = 2  # the 2.x line (JupyterLab 3): works outside Studio
READ_RELEASES = "all 26, 3.0.0 to 3.2.2"


@dataclass(frozen=True)
class Blocker:
    """Something that stops the scheduler whatever the permissions: a code, what happens, the way out."""

    code: str
    message: str
    way_out: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "way_out": self.way_out}


@dataclass(frozen=True)
class SchedulerEnvironment:
    installed: bool
    version: str | None
    works_outside_studio: bool | None
    blockers: tuple[Blocker, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "installed": self.installed,
            "version": self.version,
            "works_outside_studio": self.works_outside_studio,
            "blockers": [b.to_json() for b in self.blockers],
        }

    @property
    def note(self) -> str | None:
        """One plain sentence when the scheduler is not installed (a note, not an error)."""
        if self.installed:
            return None
        return (
            f"The SageMaker scheduler ({SCHEDULER_PACKAGE}) is not installed in this environment: the check shows "
            "what it will need once it is."
        )


def _major(version: str) -> int | None:
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def installed_version(path: list[str] | None = None) -> str | None:
    """The installed scheduler's version (``importlib.metadata``; ``path`` = where to look, default
    ``sys.path``), None when not installed."""
    for dist in importlib.metadata.distributions(name=SCHEDULER_PACKAGE, path=sys.path if path is None else path):
        return dist.version
    return None


def _studio_blocker(version: str, metadata_file: Path) -> Blocker:
    return Blocker(
        code="studio_metadata_required",
        message=(
            f"{SCHEDULER_PACKAGE} {version} cannot create notebook jobs outside SageMaker Studio: for every new job it "
            f"calls get_app_type(), which opens {metadata_file}, a file only Studio has. The job fails after the "
            "notebook was uploaded, whatever the permissions. Every 3.x release read "
            f"({READ_RELEASES}) does this."
        ),
        way_out=(
            "Schedule the notebook from SageMaker Studio; or, on JupyterLab 3, use the 2.x line "
            f"(pip install '{SCHEDULER_PACKAGE}<3'), which does not read the file; or give the scheduler the file "
            f"it expects, as an empty JSON object: `sudo mkdir -p {metadata_file.parent} && echo '{{}}' | sudo tee "
            f"{metadata_file}` (the scheduler then takes this for a plain JupyterLab, its non-Studio path)."
        ),
    )


def detect_scheduler(
    *, path: list[str] | None = None, studio_metadata_file: Path | None = None
) -> SchedulerEnvironment:
    """The installed scheduler, whether its release works outside Studio (None: a release not read),
    and the blockers that apply here (the Studio metadata file is checked where it would be opened:
    ``STUDIO_METADATA_FILE`` unless ``studio_metadata_file`` says otherwise)."""
    studio_metadata_file = studio_metadata_file or STUDIO_METADATA_FILE
    version = installed_version(path)
    if version is None:
        return SchedulerEnvironment(installed=False, version=None, works_outside_studio=None)
    major = _major(version)
    works = {BLOCKED_MAJOR: False, WORKING_MAJOR: True}.get(major) if major is not None else None
    blockers: list[Blocker] = []
    if works is False and not studio_metadata_file.is_file():
        blockers.append(_studio_blocker(version, studio_metadata_file))
    return SchedulerEnvironment(installed=True, version=version, works_outside_studio=works, blockers=tuple(blockers))


def environment_json(**kwargs: Any) -> dict[str, Any]:
    """``{"scheduler": {...}}``: the ``environment`` of the report and of ``GET /nbjob-iam/context``."""
    return {"scheduler": detect_scheduler(**kwargs).to_json()}
