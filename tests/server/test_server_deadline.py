"""Deadlines: a request whose AWS calls hang answers 504 naming the slow call, and leaves nothing
running behind it."""

from __future__ import annotations

import json
import time

import pytest
from tornado.httpclient import HTTPClientError

TIMEOUT = 1.5


@pytest.fixture
def jp_server_config(jp_server_config):
    return {**jp_server_config, "NbJobIamService": {"check_timeout": TIMEOUT, "aws_max_concurrency": 4}}


def _settles(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


async def _error(jp_fetch, *parts, **kwargs) -> tuple[int, dict, float]:
    started = time.perf_counter()
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch(*parts, request_timeout=60, **kwargs)
    return info.value.code, json.loads(info.value.response.body), time.perf_counter() - started


async def test_identity_against_a_silent_endpoint_is_a_504_naming_the_call(blackhole, jp_fetch, service):
    # Given an AWS endpoint that never answers
    # When the panel asks who the credentials are
    code, body, elapsed = await _error(jp_fetch, "nbjob-iam", "identity")
    # Then, at the deadline and not after botocore's retries, a 504 names the call that hung
    assert code == 504
    assert body["error_code"] == "deadline_exceeded"
    assert body["details"]["step"] == "sts:GetCallerIdentity"
    assert body["details"]["timeout_seconds"] == TIMEOUT
    assert "sts:GetCallerIdentity" in body["message"]
    assert TIMEOUT - 0.1 <= elapsed < TIMEOUT + 3
    # And the call it made ends about then: no AWS work keeps running, no retry starts
    assert blackhole.wait_idle(TIMEOUT + 5)
    requests = blackhole.requests
    time.sleep(1.0)
    assert blackhole.requests == requests
    assert _settles(lambda: service.limiter.in_flight == 0, 2.0)


async def test_check_against_a_silent_endpoint_is_a_504_naming_an_aws_call(blackhole, jp_fetch, service):
    # Given a silent endpoint, when a check runs (several calls start at once)
    body = json.dumps({"role_arn": "Exec", "engine": "local"})
    code, error, elapsed = await _error(jp_fetch, "nbjob-iam", "check", method="POST", body=body)
    # Then a 504 naming one of the calls in flight
    assert code == 504
    assert error["error_code"] == "deadline_exceeded"
    assert error["details"]["step"].split(":")[0] in {"sts", "iam"}
    assert elapsed < TIMEOUT + 3
    # and every call of the check ends within the deadline's time again
    assert blackhole.wait_idle(TIMEOUT + 5)
    assert _settles(lambda: service.limiter.in_flight == 0, 2.0)


async def test_the_worker_thread_is_free_again_for_the_next_request(blackhole, jp_fetch, jp_serverapp):
    # Given as many hanging requests as there are worker threads for AWS requests
    import asyncio

    workers = jp_serverapp.web_app.settings["nbjob_iam_executors"]["aws"]._max_workers
    results = await asyncio.gather(
        *(_error(jp_fetch, "nbjob-iam", "identity") for _ in range(workers)), return_exceptions=True
    )
    assert all(r[0] == 504 for r in results)
    # When one more comes after they timed out, it is not stuck behind them: its own call hangs
    code, body, _ = await _error(jp_fetch, "nbjob-iam", "identity")
    assert code == 504
    assert body["details"]["step"] == "sts:GetCallerIdentity"
