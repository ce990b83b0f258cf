"""Starvation: requests that make no AWS call, and checks, never wait behind slow work of others."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from tornado.httpclient import HTTPClientError

SLOW_CHECKS = 6
CHECK_TIMEOUT = 6.0


@pytest.fixture
def jp_server_config(jp_server_config):
    return {
        **jp_server_config,
        "NbJobIamApp": {"max_workers": 2},
        "NbJobIamService": {"check_timeout": CHECK_TIMEOUT, "aws_max_concurrency": 2},
    }


async def _status(jp_fetch, *parts, **kwargs) -> int:
    try:
        return (await jp_fetch(*parts, request_timeout=60, **kwargs)).code
    except HTTPClientError as exc:
        return exc.code


async def _timed(jp_fetch, *parts) -> tuple[int, float]:
    started = time.perf_counter()
    code = await _status(jp_fetch, *parts)
    return code, time.perf_counter() - started


async def test_aws_free_endpoints_answer_while_slow_checks_hold_every_worker(blackhole, jp_fetch):
    # Given more checks in flight than there are worker threads and AWS slots, against AWS that never answers
    body = json.dumps({"role_arn": "Exec", "engine": "local"})
    checks = [
        asyncio.ensure_future(_status(jp_fetch, "nbjob-iam", "check", method="POST", body=body))
        for _ in range(SLOW_CHECKS)
    ]
    for _ in range(100):  # until AWS calls hang (the first client takes a moment to build)
        await asyncio.sleep(0.05)
        if blackhole.in_flight:
            break
    assert blackhole.in_flight > 0 and not any(c.done() for c in checks)
    # When the panel asks for its context, and Jupyter for its status
    context = await _timed(jp_fetch, "nbjob-iam", "context")
    status = await _timed(jp_fetch, "api", "status")
    # Then both answer at once, not after the checks
    assert context[0] == 200 and status[0] == 200
    assert (
        context[1] < CHECK_TIMEOUT / 2 and status[1] < CHECK_TIMEOUT / 2
    )  # not behind the checks (generous: loaded CI)
    assert not all(c.done() for c in checks)
    # And the checks end with their deadline, not later
    assert await asyncio.gather(*checks) == [504] * SLOW_CHECKS
