"""Request bodies: anything past the limit is a 413 before parsing; the largest valid body passes."""

from __future__ import annotations

import json
import time

import pytest
from tornado.httpclient import HTTPClientError

from jupyter_nbjob_iam.constants import MAX_BODY_BYTES, MAX_FIELD_CHARS


async def _post(jp_fetch, path: str, body: bytes | str) -> tuple[int, dict]:
    try:
        response = await jp_fetch("nbjob-iam", path, method="POST", body=body, request_timeout=60)
    except HTTPClientError as exc:
        return exc.code, json.loads(exc.response.body)
    return response.code, json.loads(response.body)


@pytest.mark.parametrize("path", ["check", "plan", "apply", "undo"])
async def test_a_body_past_the_limit_is_a_413_with_an_error_code(aws_env, jp_fetch, path):
    # Given a body one byte past the limit (valid JSON, so only its size is wrong)
    body = json.dumps({"role_arn": "r" * MAX_BODY_BYTES})
    assert len(body) > MAX_BODY_BYTES
    # When it is posted
    code, error = await _post(jp_fetch, path, body)
    # Then it is refused for its size, in the one error shape, before anything reads it as JSON
    assert code == 413
    assert error["error_code"] == "body_too_large"
    assert error["details"] == {"field": "body", "size": len(body), "limit": MAX_BODY_BYTES}


async def test_the_largest_valid_body_is_not_refused_for_its_size(aws_env, jp_fetch):
    # Given every field of a plan request at its longest (what the panel can send at most)
    fields = ("profile", "region", "role_arn", "kms_key_arn", "engine", "policy_name")
    body = json.dumps({f: "a" * MAX_FIELD_CHARS for f in fields})
    assert 12_000 < len(body) <= MAX_BODY_BYTES
    # When posted, the answer is about its content (a 400 naming a field), not its size
    code, error = await _post(jp_fetch, "plan", body)
    assert code == 400
    assert error["error_code"] == "invalid_input"


async def test_a_5_mb_body_is_refused_fast_and_status_stays_responsive(aws_env, jp_fetch):
    # Given a 5 MB body of deeply nested JSON (the kind that is slow to parse)
    body = b"[" * (5 * 1024 * 1024)
    # When it is posted
    started = time.perf_counter()
    code, error = await _post(jp_fetch, "check", body)
    elapsed = time.perf_counter() - started
    # Then the 413 comes without parsing it (parsing 5 MB of brackets would take far longer)
    assert code == 413 and error["error_code"] == "body_too_large"
    assert elapsed < 5.0
    # and the server answers its own status right after
    status = await jp_fetch("api", "status")
    assert status.code == 200
