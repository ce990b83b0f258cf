"""The one bound on AWS calls: however many requests run, never more calls in flight than configured."""

from __future__ import annotations

import asyncio
import json

import pytest
from tornado.httpclient import HTTPClientError

BOUND = 3
REQUESTS = 6


@pytest.fixture
def jp_server_config(jp_server_config):
    return {
        **jp_server_config,
        "NbJobIamApp": {"max_workers": REQUESTS},
        "NbJobIamService": {"check_timeout": 4.0, "aws_max_concurrency": BOUND},
    }


async def _status(jp_fetch, *parts, **kwargs) -> int:
    try:
        return (await jp_fetch(*parts, request_timeout=60, **kwargs)).code
    except HTTPClientError as exc:
        return exc.code


async def test_calls_in_flight_never_exceed_the_configured_bound(blackhole, jp_fetch, service):
    # Given checks that each start several AWS calls at once (caller, role, the role's policy lists),
    # and identity requests, all together, against AWS that never answers
    body = json.dumps({"role_arn": "Exec", "engine": "local"})
    checks = [_status(jp_fetch, "nbjob-iam", "check", method="POST", body=body) for _ in range(REQUESTS - 2)]
    identities = [_status(jp_fetch, "nbjob-iam", "identity") for _ in range(2)]
    # When they all run to their deadline
    codes = await asyncio.gather(*checks, *identities)
    # Then AWS saw at most BOUND calls at once, and the bound was reached (it is what held them back)
    assert codes == [504] * REQUESTS
    assert blackhole.peak == BOUND
    assert service.limiter.peak == BOUND
    assert service.limiter.max_calls == BOUND
