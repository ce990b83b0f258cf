"""The plan store's folders: private when it creates them, left alone when they already exist."""

from __future__ import annotations

import stat

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
