"""Bad input, REST: hypothesis-driven bodies and queries for every endpoint always get a 200 (valid
input) or a 4xx in the one error shape with an ``error_code``: never a 500, never a write.

The Jupyter server's AWS traffic goes through the fault proxy with no faults, only to record every
IAM action: a write action seen at any example fails the test at once; moto's IAM state is compared
as a whole before and after each run as well.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from jupyter_nbjob_iam.constants import MAX_BODY_BYTES
from jupyter_nbjob_iam.handlers import route_table

from .fuzz_inputs import CHECK_FIELDS, VALID_KMS, body_for, query_strings, raw_bodies, strings
from .hardening_helpers import ROLE_ARN, iam_state, rest, seed

FUZZ = settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
ERROR_KEYS = {"message", "reason", "error_code", "details"}
# Well-formed ids of plans and backups that do not exist (the store must answer 404, not open a file)
PLAN_IDS = st.text("0123456789abcdef", min_size=64, max_size=64)
BACKUP_IDS = st.from_regex(r"\A\d{8}T\d{6}Z-[0-9a-f]{8}\Z")


@pytest.fixture
def call(jp_asyncio_loop, jp_fetch, iam, proxy, quick_retries, use_keys):
    """A synchronous REST call (hypothesis drives sync tests) that fails on any IAM write; the
    account is seeded with a user and the execution role, and must be unchanged at the end."""
    use_keys(seed(iam))
    before = iam_state(iam)

    def fetch(method: str, path: str, body=None, **kwargs) -> tuple[int, dict]:
        code, payload = jp_asyncio_loop.run_until_complete(rest(jp_fetch, method, path, body, **kwargs))
        assert proxy.writes() == [], f"{method} {path} {body!r} wrote to IAM: {proxy.writes()}"
        # A 413 for exactly the bodies past the limit (as rest() encodes them), whatever they hold
        if method == "POST":
            assert (code == 413) == (_encoded_size(body) > MAX_BODY_BYTES), (code, _encoded_size(body), payload)
        event(f"{path} -> {code} {payload.get('error_code', '')}".rstrip())  # --hypothesis-show-statistics
        return code, payload

    yield fetch
    assert iam_state(iam) == before


def _encoded_size(body: object) -> int:
    if isinstance(body, bytes):
        return len(body)
    return len((body if isinstance(body, str) else json.dumps(body if body is not None else {})).encode())


def assert_clean(code: int, payload: dict, sent: object) -> None:
    """200, or a 4xx in the one error shape: never a 5xx, never a traceback. (413: see ``call``.)"""
    assert code in (200, 400, 404, 413), f"{code} for {sent!r}: {payload}"
    if code != 200:
        assert set(payload) == ERROR_KEYS, payload
        assert isinstance(payload["error_code"], str) and payload["error_code"], payload
        assert "Traceback" not in json.dumps(payload)


def assert_inputs_honoured(report: dict, body: dict) -> None:
    """A 200 is only allowed for a real role and one exact, wildcard-free KMS key ARN."""
    role = body.get("role_arn")
    if isinstance(role, str) and role.strip():
        assert report["role"]["arn"] == ROLE_ARN, (role, report["role"])
    kms = body.get("kms_key_arn")
    if isinstance(kms, str) and kms.strip():
        assert VALID_KMS.match(kms.strip()), f"accepted KMS key ARN {kms!r}"


def test_every_endpoint_is_fuzzed():
    assert {p.rsplit("/", 1)[1] for p, _ in route_table()} == {
        "context", "identity", "roles", "check", "plan", "apply", "undo"
    }  # fmt: skip


@FUZZ
@given(body=body_for(CHECK_FIELDS))
@example(body={"profile": "é" * 2729})  # 16,389 bytes as JSON: just past the limit (found by the fuzzer)
def test_check_body(call, body):
    # Given any JSON object as the body of POST /check
    code, payload = call("POST", "check", body)
    # Then 200 for a valid one (honouring exactly what was asked), else a clean 4xx
    assert_clean(code, payload, body)
    if code == 200:
        assert_inputs_honoured(payload, body)


@FUZZ
@given(body=body_for((*CHECK_FIELDS, "policy_name")))
def test_plan_body(call, body):
    # Given any JSON object as the body of POST /plan (a preview: it may never write)
    code, payload = call("POST", "plan", body)
    assert_clean(code, payload, body)
    if code == 200:
        assert_inputs_honoured({"role": {"arn": payload["role_arn"]}}, body)
        name = body.get("policy_name")
        if isinstance(name, str) and name.strip():
            assert payload["policy_name"] == name.strip()
        for write in payload["writes"]:
            assert "${" not in json.dumps(write["after"]), write


@FUZZ
@pytest.mark.parametrize("path,field,ids", [("apply", "plan_id", PLAN_IDS), ("undo", "backup_id", BACKUP_IDS)])
@given(data=st.data())
def test_apply_and_undo_bodies(call, path, field, ids, data):
    # Given any body for POST /apply or /undo, among them well-formed ids that exist nowhere
    body = data.draw(st.one_of(body_for((field,)), st.fixed_dictionaries({field: st.one_of(strings, ids)})))
    # Then a clean 4xx: nothing is ever applied or undone
    code, payload = call("POST", path, body)
    assert_clean(code, payload, body)
    assert code != 200


@FUZZ
@given(path=st.sampled_from(["check", "plan", "apply", "undo"]), raw=raw_bodies)
def test_raw_bodies(call, path, raw):
    # Given a body that is not a JSON object: broken, binary, nested, another JSON type
    code, payload = call("POST", path, raw)
    # Then a clean 4xx, never a 500; a 400 naming the body unless it parsed as an object
    assert_clean(code, payload, raw[:80])
    if raw.strip() and not raw.lstrip().startswith(b"{"):  # an empty body is an empty object
        assert code == 400 and payload["details"].get("field") == "body", payload


@FUZZ
@given(
    path=st.sampled_from(["context", "identity", "roles"]),
    params=st.dictionaries(
        st.sampled_from(["profile", "region", "role_arn", "x", "profile "]),
        st.one_of(query_strings, st.sampled_from(["us-east-1", "eu-west-1", "default"])),
        max_size=3,
    ),
)
def test_get_queries(call, path, params):
    # Given any query string on the GET endpoints
    code, payload = call("GET", path, params=params)
    # Then 200 or a clean 4xx
    assert_clean(code, payload, params)
