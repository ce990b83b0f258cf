"""Apply and undo run on threads of their own: however long they take, checks are not held up."""

from __future__ import annotations

import asyncio
import json
import threading
import time

import pytest
from tornado.httpclient import HTTPClientError

from jupyter_nbjob_iam.service import NbJobIamService

from .aws_scene import user_with_keys

PLAN_ID = "a" * 64


class SlowFixService(NbJobIamService):
    """Apply and undo that take as long as the test wants (as verification waiting for IAM can)."""

    release = threading.Event()

    def apply(self, plan_id, *, deadline=None):
        self.release.wait(30)
        return {"status": "applied", "plan_id": plan_id}

    def undo(self, backup_id, *, deadline=None):
        self.release.wait(30)
        return {"restored": []}


@pytest.fixture
def jp_server_config(jp_server_config):
    return {
        **jp_server_config,
        "NbJobIamApp": {"service_class": SlowFixService, "fix_workers": 1, "max_workers": 1},
    }


async def _post(jp_fetch, path: str, body: dict) -> int:
    try:
        return (await jp_fetch("nbjob-iam", path, method="POST", body=json.dumps(body), request_timeout=60)).code
    except HTTPClientError as exc:
        return exc.code


async def test_checks_answer_while_applies_and_undos_wait(aws_env, monkeypatch, jp_fetch):
    # Given a user of the account, and an apply and an undo that keep their (only) thread busy
    SlowFixService.release.clear()
    user_with_keys(monkeypatch)
    fixes = [
        asyncio.ensure_future(_post(jp_fetch, "apply", {"plan_id": PLAN_ID})),
        asyncio.ensure_future(_post(jp_fetch, "undo", {"backup_id": "b-1"})),
    ]
    await asyncio.sleep(0.3)
    try:
        # When a check runs meanwhile
        started = time.perf_counter()
        code = await _post(jp_fetch, "check", {"engine": "local"})
        elapsed = time.perf_counter() - started
        # Then it answers on its own, while the fixes still wait
        assert code == 200
        assert not any(f.done() for f in fixes)
        assert elapsed < 15
    finally:
        SlowFixService.release.set()
    assert await asyncio.gather(*fixes) == [200, 200]
