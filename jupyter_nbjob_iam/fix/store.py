"""Where plans, backups and the apply journal live on disk, and the locks apply and undo hold.

Layout under the state directory (``NBJOB_IAM_STATE_DIR``, else ``<jupyter data dir>/nbjob_iam``)::

    plans/<plan_id>.json        the plan as previewed (its live reads included)
    backups/<backup_id>.json    one apply: every previous document, saved *before* its write, and
                                each write's state (pending, applied, failed, undone): the journal
    journal/<plan_id>.json      which backup an apply of this plan writes to (resume finds it here)
    apply.lock                  held (flock) while an apply or undo runs: one at a time

The store refuses (``state_dir_unsafe``) a state directory or folder that is a symbolic link, is not
owned by the current user, or is writable by its group or others, and any symlink in it: what it
reads there decides what is written to IAM, so nobody else may be able to put it there. Directories
it creates are 0700 (an existing one that passes keeps its own mode) and files 0600, written
atomically (temporary file + rename). A folder it cannot create or use (its parent is a file, no
permission) is ``state_dir_unusable``; a file that is not what the store wrote (truncated, edited,
missing a field) is ``plan_invalid`` / ``backup_invalid``: errors with a plain message that names
files relative to the state directory, never a traceback or an absolute path.

Besides the store's own lock, apply and undo take one lock per principal they write to, shared by
every process of the user whatever its state directory (the CLI and the server): in
``NBJOB_IAM_LOCK_DIR``, else ``$XDG_RUNTIME_DIR/nbjob-iam``, else ``<tmp>/nbjob-iam-<uid>``, checked
like the state directory.

Before anything is written, the exact credential values known to the store (the AWS_* variables, and
those the services register from the session in use) are replaced by ``[redacted]``; the documents
themselves never hold credentials, so this is a last guard, not a filter that could alter a policy.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import ConflictError, InputError, NbJobIamError, NotFoundError

STATE_DIR_ENV = "NBJOB_IAM_STATE_DIR"
LOCK_DIR_ENV = "NBJOB_IAM_LOCK_DIR"
_PLAN_ID_RE = re.compile(r"^[0-9a-f]{64}\Z")
_BACKUP_ID_RE = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}\Z")
ENTRY_STATUSES = frozenset({"pending", "applied", "failed", "undone", "kept"})
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


class StateDirError(NbJobIamError):
    """The state directory (or the lock directory) cannot be used safely: nothing was read or written."""

    status = 500
    error_code = "state_dir_unusable"
    reason = "State directory problem"


def _unsafe(what: str, why: str) -> StateDirError:
    return StateDirError(
        f"The fix's {what} {why}, so it is not used: the plans and backups there decide what is written "
        "to IAM. Use a private directory of your own (chmod 700), e.g. with NBJOB_IAM_STATE_DIR.",
        error_code="state_dir_unsafe",
        details={"where": what},
    )


def check_private(path: Path, what: str) -> None:
    """Refuse ``path`` unless it is a real directory of the current user that no one else may write to."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise StateDirError(
            f"The fix's {what} cannot be read ({exc.strerror or 'error'}).", details={"where": what}
        ) from None
    if stat.S_ISLNK(st.st_mode):
        raise _unsafe(what, "is a symbolic link")
    if not stat.S_ISDIR(st.st_mode):
        raise StateDirError(f"The fix's {what} is not a directory.", details={"where": what})
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise _unsafe(what, "belongs to another user")
    if st.st_mode & 0o022:
        raise _unsafe(what, f"is writable by other users (mode {stat.S_IMODE(st.st_mode):o})")


def make_private_dir(path: Path, what: str) -> Path:
    """``path``, created 0700 when missing (with its parents), then checked with ``check_private``."""
    if not os.path.lexists(path):
        try:
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask
        except OSError as exc:
            raise StateDirError(
                f"The fix's {what} cannot be created ({exc.strerror or 'error'}): is a file in the way, "
                "or is its parent not writable?",
                details={"where": what},
            ) from None
    check_private(path, what)
    return path


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
        """The folder, created 0700 when missing, refused unless private (``check_private``)."""
        make_private_dir(self.root, "state directory")
        if name is None:
            return self.root
        return make_private_dir(self.root / name, f"state directory's {name}/ folder")

    def _existing(self, folder: str, file_name: str) -> Path | None:
        """The path of ``folder/file_name`` when it exists (its folders checked first), else None."""
        if not os.path.lexists(self.root):
            return None
        check_private(self.root, "state directory")
        if not os.path.lexists(self.root / folder):
            return None
        check_private(self.root / folder, f"state directory's {folder}/ folder")
        path = self.root / folder / file_name
        return path if os.path.lexists(path) else None

    def _write(self, path: Path, obj: Any) -> None:
        text = self._redact(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")
        relative = f"{path.parent.name}/{path.name}"
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # created 0600
        except OSError as exc:
            raise StateDirError(f"{relative} cannot be written ({exc.strerror or 'error'}).") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            os.chmod(path, 0o600)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise StateDirError(f"{relative} cannot be written ({exc.strerror or 'error'}).") from None
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @staticmethod
    def _read(path: Path, error_code: str) -> dict[str, Any]:
        """A JSON object from a regular file of the current user (never through a symlink)."""
        relative = f"{path.parent.name}/{path.name}"
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            if os.path.islink(path):
                raise _unsafe(f"file {relative}", "is a symbolic link") from None
            raise StateDirError(f"{relative} cannot be read ({exc.strerror or 'error'}).") from None
        with os.fdopen(fd, encoding="utf-8") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
                raise _unsafe(f"file {relative}", "is not a file of your own")
            try:
                data = json.load(fh)
            except (ValueError, UnicodeDecodeError):
                data = None
        if not isinstance(data, dict):
            raise ConflictError(
                f"{relative} is damaged (not the JSON object the fix wrote): it is not used.",
                error_code=error_code,
                details={"file": relative},
            )
        return data

    def _load(self, folder: str, item_id: str, error_code: str, message: str, invalid_code: str) -> dict[str, Any]:
        path = self._existing(folder, f"{item_id}.json")
        if path is None:
            raise NotFoundError(
                message, error_code=error_code, details={error_code.replace("_not_found", "_id"): item_id}
            )
        return self._read(path, invalid_code)

    # -- plans --------------------------------------------------------------------------------
    @staticmethod
    def check_plan_id(plan_id: object) -> str:
        return _checked(plan_id, _PLAN_ID_RE, "plan_id", "A plan id is the 64-character hex id a plan was given.")

    def save_plan(self, plan: dict[str, Any]) -> None:
        self._write(self._dir("plans") / f"{self.check_plan_id(plan['plan_id'])}.json", plan)

    def load_plan(self, plan_id: object) -> dict[str, Any]:
        plan_id = self.check_plan_id(plan_id)
        message = f"There is no plan {plan_id} in the state directory: make a new plan (jupyter nbjob-iam fix)."
        return self._load("plans", plan_id, "plan_not_found", message, "plan_invalid")

    # -- backups (one per apply, also the journal of its writes) ----------------------------------
    @staticmethod
    def check_backup_id(backup_id: object) -> str:
        message = "A backup id looks like 20250101T120000Z-1a2b3c4d (printed after a fix)."
        return _checked(backup_id, _BACKUP_ID_RE, "backup_id", message)

    def save_backup(self, backup: dict[str, Any]) -> None:
        self._write(self._dir("backups") / f"{self.check_backup_id(backup['backup_id'])}.json", backup)

    def load_backup(self, backup_id: object) -> dict[str, Any]:
        backup_id = self.check_backup_id(backup_id)
        message = f"There is no backup {backup_id} in the state directory."
        backup = self._load("backups", backup_id, "backup_not_found", message, "backup_invalid")
        problem = _backup_problem(backup, backup_id)
        if problem:
            raise ConflictError(
                f"backups/{backup_id}.json is damaged ({problem}): it is not used.",
                error_code="backup_invalid",
                details={"file": f"backups/{backup_id}.json", "backup_id": backup_id},
            )
        return backup

    def list_backups(self) -> list[str]:
        if self._existing("backups", "") is None:
            return []
        folder = self.root / "backups"
        return sorted(p.stem for p in folder.glob("*.json") if _BACKUP_ID_RE.match(p.stem) and not p.is_symlink())

    # -- journal: plan -> the backup its apply writes to ------------------------------------------
    def get_journal(self, plan_id: str) -> dict[str, Any] | None:
        """The journal of ``plan_id``, or None when there is none or it is stale (damaged, or its
        backup is gone: the live state then decides, see ``apply``). A stale journal is removed."""
        path = self._existing("journal", f"{self.check_plan_id(plan_id)}.json")
        if path is None:
            return None
        try:
            journal = self._read(path, "journal_invalid")
            backup_id = self.check_backup_id(journal.get("backup_id"))
            if self._existing("backups", f"{backup_id}.json") is not None:
                return journal
        except (ConflictError, InputError):
            pass
        self.clear_journal(plan_id)
        return None

    def set_journal(self, plan_id: str, data: dict[str, Any]) -> None:
        self._write(self._dir("journal") / f"{self.check_plan_id(plan_id)}.json", data)

    def clear_journal(self, plan_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.root / "journal" / f"{self.check_plan_id(plan_id)}.json")

    # -- one apply or undo at a time --------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self, account: str | None = None, principals: Iterable[str] = ()) -> Iterator[None]:
        """Hold the store's lock and one lock per principal ARN (shared by every state directory);
        ``ConflictError`` at once when another apply or undo holds any of them."""
        paths = [self._dir() / "apply.lock"]
        if principals:
            lock_dir = make_private_dir(default_lock_dir(), "lock directory")
            for arn in sorted(set(principals)):
                digest = hashlib.sha256(f"{account}|{arn}".encode()).hexdigest()[:32]
                paths.append(lock_dir / f"{digest}.lock")
        with contextlib.ExitStack() as stack:
            for path in paths:
                stack.enter_context(_held(path))
            yield


def default_lock_dir() -> Path:
    env = os.environ.get(LOCK_DIR_ENV)
    if env:
        return Path(env).expanduser()
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        return Path(runtime) / "nbjob-iam"
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    return Path(tempfile.gettempdir()) / f"nbjob-iam-{uid}"


@contextlib.contextmanager
def _held(path: Path) -> Iterator[None]:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as exc:
        raise StateDirError(f"The lock file {path.name} cannot be opened ({exc.strerror or 'error'}).") from None
    try:
        try:
            _lock_fd(fd)
        except OSError as exc:
            raise ConflictError(
                "Another fix or undo is being applied right now: wait for it to finish, then check again.",
                details={"lock": path.name},
            ) from exc
        try:
            yield
        finally:
            _unlock_fd(fd)
    finally:
        os.close(fd)


def _backup_problem(backup: dict[str, Any], backup_id: str) -> str | None:
    """What is wrong with a loaded backup's shape, or None."""
    if backup.get("backup_id") != backup_id:
        return "its id is not its file name"
    if not isinstance(backup.get("plan_id"), str) or not _PLAN_ID_RE.match(backup["plan_id"]):
        return "no plan id"
    entries = backup.get("entries")
    if not isinstance(entries, list):
        return "no list of entries"
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("write_id"), str):
            return "an entry without a write id"
        if entry.get("status") not in ENTRY_STATUSES:
            return f"entry {entry.get('write_id')} has no known status"
    return None


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
