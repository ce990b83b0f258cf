"""The plan store's folders: private when it creates them; an existing one is used only when no one else
can write to it; damaged files and symlinks are refused with plain errors (issue 13)."""

from __future__ import annotations

import json
import stat

import pytest

from jupyter_nbjob_iam.errors import ConflictError, NbJobIamError, NotFoundError
from jupyter_nbjob_iam.fix import PlanStore


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_existing_shared_state_directory_keeps_its_mode(tmp_path):
    # Given a configured state directory that already exists and is shared (0755)
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    store = PlanStore(shared)
    # When the store writes into it
    store.set_journal("a" * 64, {"plan_id": "a" * 64, "backup_id": "x"})
    # Then the shared directory is not made private, but the folder the store created is
    assert _mode(shared) == 0o755
    assert _mode(shared / "journal") == 0o700
    assert _mode(shared / "journal" / f"{'a' * 64}.json") == 0o600


def test_a_state_directory_the_store_creates_is_private(tmp_path):
    # Given no state directory yet
    store = PlanStore(tmp_path / "new" / "state")
    # When the store takes its lock (creating the directory)
    with store.lock():
        pass
    # Then the directory it created is 0700
    assert _mode(tmp_path / "new" / "state") == 0o700


# -- issue 13: a state directory someone else could write to is refused (findings 1, 4, 5, 8) --------

PLAN_ID = "a" * 64
BACKUP_ID = "20250101T120000Z-1a2b3c4d"


def _backup(**extra) -> dict:
    return {"backup_id": BACKUP_ID, "plan_id": PLAN_ID, "entries": [], **extra}


def _refused(store, code: str) -> NbJobIamError:
    with pytest.raises(NbJobIamError) as err:
        store.load_backup(BACKUP_ID)
    assert err.value.error_code == code, err.value.to_json()
    assert str(store.root) not in json.dumps(err.value.to_json())  # finding 8: never an absolute path
    return err.value


def test_a_state_directory_writable_by_others_is_refused(tmp_path):
    shared = tmp_path / "shared"
    PlanStore(shared).save_backup(_backup())
    shared.chmod(0o777)
    assert "writable by other users" in _refused(PlanStore(shared), "state_dir_unsafe").message
    with pytest.raises(NbJobIamError) as err:
        PlanStore(shared).save_plan({"plan_id": PLAN_ID})
    assert err.value.error_code == "state_dir_unsafe"


def test_a_symlinked_state_directory_or_file_is_refused(tmp_path):
    real = tmp_path / "real"
    PlanStore(real).save_backup(_backup())
    link = tmp_path / "link"
    link.symlink_to(real)
    assert "symbolic link" in _refused(PlanStore(link), "state_dir_unsafe").message
    # a backup file that is a symlink to a file elsewhere
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(_backup()))
    target = real / "backups" / f"{BACKUP_ID}.json"
    target.unlink()
    target.symlink_to(forged)
    _refused(PlanStore(real), "state_dir_unsafe")


def test_a_file_as_parent_of_the_state_directory_is_a_plain_error(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    store = PlanStore(blocker / "state")
    with pytest.raises(NbJobIamError) as err:
        store.save_backup(_backup())
    assert err.value.error_code == "state_dir_unusable" and str(tmp_path) not in err.value.message
    with pytest.raises(NbJobIamError), store.lock():
        pass


@pytest.mark.parametrize(
    "text,problem",
    [
        ('{"backup_id": "2025', "not the JSON object"),
        ('["a list"]', "not the JSON object"),
        (json.dumps({"backup_id": BACKUP_ID, "plan_id": PLAN_ID}), "no list of entries"),
        (json.dumps(_backup(entries=[{"write_id": "w1"}])), "no known status"),
        (json.dumps(_backup(backup_id="20250101T120000Z-00000000")), "its id is not its file name"),
    ],
)
def test_a_truncated_or_incomplete_backup_is_backup_invalid(tmp_path, text, problem):
    store = PlanStore(tmp_path / "state")
    store.save_backup(_backup())
    (store.root / "backups" / f"{BACKUP_ID}.json").write_text(text)
    err = _refused(store, "backup_invalid")
    assert isinstance(err, ConflictError) and problem in err.message and f"backups/{BACKUP_ID}.json" in err.message


def test_a_journal_whose_backup_is_gone_is_stale_not_blocking(tmp_path):
    # Given a journal pointing at a backup that was deleted since
    store = PlanStore(tmp_path / "state")
    store.save_backup(_backup())
    store.set_journal(PLAN_ID, {"plan_id": PLAN_ID, "backup_id": BACKUP_ID})
    (store.root / "backups" / f"{BACKUP_ID}.json").unlink()
    # When apply asks for it: none (the live state decides), and the stale journal is removed
    assert store.get_journal(PLAN_ID) is None
    assert not (store.root / "journal" / f"{PLAN_ID}.json").exists()
    with pytest.raises(NotFoundError) as err:
        store.load_backup(BACKUP_ID)
    assert str(store.root) not in err.value.message


@pytest.mark.parametrize("backup_id", ["٢٠٢٥٠١٠١T120000Z-1a2b3c4d", "20250101T120000Z-1a2b3c4d\n"])
def test_backup_ids_take_ascii_digits_only(tmp_path, backup_id):
    with pytest.raises(NbJobIamError) as err:
        PlanStore(tmp_path).load_backup(backup_id)
    assert err.value.status == 400


def test_the_principal_lock_is_shared_whatever_the_state_directory(tmp_path):
    # Given the CLI and the server with state directories of their own
    cli, server = PlanStore(tmp_path / "cli"), PlanStore(tmp_path / "server")
    principal = "arn:aws:iam::123456789012:user/ada"
    # When one applies a fix to ada, the other may not at the same time; another principal may
    with cli.lock("123456789012", [principal]):
        with pytest.raises(ConflictError) as err, server.lock("123456789012", [principal]):
            pass
        assert err.value.details == {"lock": err.value.details["lock"]} and "/" not in err.value.details["lock"]
        with server.lock("123456789012", ["arn:aws:iam::123456789012:user/bob"]):
            pass
    # And once it is done, the other may
    with server.lock("123456789012", [principal]):
        pass
