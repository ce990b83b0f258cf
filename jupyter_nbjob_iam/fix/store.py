"""Where plans, backups and the apply journal live on disk.

Layout under the state directory (``NBJOB_IAM_STATE_DIR``, else ``<jupyter data dir>/nbjob_iam``)::

    plans/<plan_id>.json        the plan as previewed (its live reads included)
    backups/<backup_id>.json    one apply: every previous document, saved *before* its write, and
                                each write's state (pending, applied, failed, undone): the journal
    journal/<plan_id>.json      which backup an apply of this plan writes to (resume finds it here)
    apply.lock                  held (flock) while an apply or undo runs: one at a time

Directories the store creates are 0700 (a state directory that already exists keeps its own mode)
and files 0600, written atomically (temporary file + rename). Before anything is written, the exact
credential values known to the store (the AWS_* variables, and those the services register from the
session in use) are replaced by ``[redacted]``; the documents themselves never hold credentials, so
this is a last guard, not a filter that could alter a policy.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import ConflictError, InputError, NotFoundError

STATE_DIR_ENV = "NBJOB_IAM_STATE_DIR"
_PLAN_ID_RE = re.compile(r"^[0-9a-f]{64}$")
_BACKUP_ID_RE = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")
_SECRET_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
REDACTED = "[redacted]"

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def default_state_dir() -> Path:
    """``NBJOB_IAM_STATE_DIR``, else ``jupyter_core.paths.jupyter_data_dir()/nbjob_iam``."""
    env = os.environ.get(STATE_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "nbjob_iam"


def new_backup_id() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(4)


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class PlanStore:
    """Plans, backups and the journal of one state directory (see the module docstring)."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root).expanduser() if root is not None else default_state_dir()
        self._secrets: set[str] = set()

    def __repr__(self) -> str:
        return f"PlanStore({str(self.root)!r})"

    # -- plumbing -----------------------------------------------------------------------------
    def add_secrets(self, values: Iterable[str]) -> None:
        """Credential values that must never reach a file (replaced by ``[redacted]``)."""
        self._secrets.update(v for v in values if v and len(v) >= 8)

    def _redact(self, text: str) -> str:
        values = set(self._secrets)
        values.update(v for k in _SECRET_ENV if (v := os.environ.get(k)) and len(v) >= 8)
        for value in sorted(values, key=len, reverse=True):
            text = text.replace(value, REDACTED)
        return text

    def _dir(self, name: str | None = None) -> Path:
        """The folder, created 0700 when missing. Only folders the store creates are made private: a
        configured state directory that already exists (perhaps shared) keeps its own mode."""
        for path in dict.fromkeys([self.root] + ([] if name is None else [self.root / name])):
            if not path.is_dir():
                path.mkdir(parents=True, exist_ok=True, mode=0o700)
                with contextlib.suppress(OSError):
                    os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask
        return self.root if name is None else self.root / name

    def _write(self, path: Path, obj: Any) -> None:
        text = self._redact(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        os.chmod(path, 0o600)

    @staticmethod
    def _read(path: Path) -> Any:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)

    def _load(self, folder: str, item_id: str, error_code: str, message: str) -> dict[str, Any]:
        path = self.root / folder / f"{item_id}.json"
        if not path.is_file():
            raise NotFoundError(
                message, error_code=error_code, details={error_code.replace("_not_found", "_id"): item_id}
            )
        return self._read(path)

    # -- plans --------------------------------------------------------------------------------
    @staticmethod
    def check_plan_id(plan_id: object) -> str:
        return _checked(plan_id, _PLAN_ID_RE, "plan_id", "A plan id is the 64-character hex id a plan was given.")

    def save_plan(self, plan: dict[str, Any]) -> None:
        self._write(self._dir("plans") / f"{self.check_plan_id(plan['plan_id'])}.json", plan)

    def load_plan(self, plan_id: object) -> dict[str, Any]:
        plan_id = self.check_plan_id(plan_id)
        message = f"There is no plan {plan_id} in {self.root}: make a new plan (jupyter nbjob-iam fix)."
        return self._load("plans", plan_id, "plan_not_found", message)

    # -- backups (one per apply, also the journal of its writes) ----------------------------------
    @staticmethod
    def check_backup_id(backup_id: object) -> str:
        message = "A backup id looks like 20250101T120000Z-1a2b3c4d (printed after a fix)."
        return _checked(backup_id, _BACKUP_ID_RE, "backup_id", message)

    def save_backup(self, backup: dict[str, Any]) -> None:
        self._write(self._dir("backups") / f"{self.check_backup_id(backup['backup_id'])}.json", backup)

    def load_backup(self, backup_id: object) -> dict[str, Any]:
        backup_id = self.check_backup_id(backup_id)
        return self._load("backups", backup_id, "backup_not_found", f"There is no backup {backup_id} in {self.root}.")

    def list_backups(self) -> list[str]:
        folder = self.root / "backups"
        if not folder.is_dir():
            return []
        return sorted(p.stem for p in folder.glob("*.json") if _BACKUP_ID_RE.match(p.stem))

    # -- journal: plan -> the backup its apply writes to ------------------------------------------
    def get_journal(self, plan_id: str) -> dict[str, Any] | None:
        path = self.root / "journal" / f"{self.check_plan_id(plan_id)}.json"
        return self._read(path) if path.is_file() else None

    def set_journal(self, plan_id: str, data: dict[str, Any]) -> None:
        self._write(self._dir("journal") / f"{self.check_plan_id(plan_id)}.json", data)

    def clear_journal(self, plan_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.root / "journal" / f"{self.check_plan_id(plan_id)}.json")

    # -- one apply or undo at a time --------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the store's lock; ``ConflictError`` at once when another apply or undo holds it."""
        path = self._dir() / "apply.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                _lock_fd(fd)
            except OSError as exc:
                raise ConflictError(
                    "Another fix or undo is being applied right now: wait for it to finish, then check again.",
                    details={"lock": str(path)},
                ) from exc
            try:
                yield
            finally:
                _unlock_fd(fd)
        finally:
            os.close(fd)


def _checked(value: object, pattern: re.Pattern[str], field: str, message: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise InputError(message, details={"field": field, "value": str(value)[:80]})
    return value


def _lock_fd(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    import msvcrt  # pragma: no cover - Windows

    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # pragma: no cover


def _unlock_fd(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return
    import msvcrt  # pragma: no cover - Windows

    msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # pragma: no cover
