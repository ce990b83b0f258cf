"""The REST contract, from the server's side: real responses of the sandbox account become the panel's
JSON fixtures (``src/__tests__/fixtures/``), which ``src/__tests__/contract.spec.tsx`` type-checks
against ``src/tokens.ts`` and renders.

Each response is compared with its committed fixture by shape (every key path, lists merged). A field
removed, added or renamed on the server fails here, and the fixture is rewritten so that ``jlpm test``
shows whether the panel knows the new shape; commit both. Values (ids, times, the moto port) change
from run to run, so an unchanged shape leaves the file alone; ``NBJOB_IAM_WRITE_FIXTURES=1`` rewrites
every fixture.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from jupyter_nbjob_iam.error_codes import ERROR_CODES
from jupyter_nbjob_iam.sandbox import seed

FIXTURES = Path(__file__).resolve().parents[2] / "src" / "__tests__" / "fixtures"
ROLE_NAME = "SagemakerJupyterSchedulerRole"


@pytest.fixture
def jp_server_config(jp_server_config, tmp_path):
    config = dict(jp_server_config)
    config["ServerApp"] = {**config.get("ServerApp", {}), "jpserver_extensions": {"jupyter_nbjob_iam": True}}
    config["NbJobIamService"] = {"state_dir": str(tmp_path / "state"), "verify_timeout": 5.0}
    return config


@pytest.fixture
def sandbox(aws_env, use_keys, monkeypatch, tmp_path):
    """The sandbox's seeded account, signed in as its user ada, no scheduler settings of the developer's."""
    settings = tmp_path / "lab-user-settings"
    settings.mkdir()
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(settings))
    # The principals' locks are machine-wide by design; other test runs on this machine use the same
    # moto account and user, so this test keeps its own.
    monkeypatch.setenv("NBJOB_IAM_LOCK_DIR", str(tmp_path / "locks"))
    account = seed(aws_env)
    use_keys({"AccessKeyId": account.access_key_id, "SecretAccessKey": account.secret_access_key})
    return account


async def call(jp_fetch: Any, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    kwargs: dict[str, Any] = {"method": method, "request_timeout": 120}
    if method == "POST":
        kwargs["body"] = json.dumps(body or {})
    try:
        response = await jp_fetch("nbjob-iam", *path.split("?")[0].split("/"), **kwargs, params=_params(path))
    except HTTPClientError as exc:
        assert exc.response is not None, exc
        response = exc.response
    return response.code, json.loads(response.body)


def _params(path: str) -> dict[str, str]:
    if "?" not in path:
        return {}
    return dict(pair.split("=", 1) for pair in path.split("?", 1)[1].split("&"))


# Policy documents (and the plan's record of what it read) are data, not the contract: not walked.
OPAQUE = frozenset({"statement", "before", "after", "document", "reads"})


def shape(value: Any, prefix: str = "") -> set[str]:
    """Every key path of a JSON value; list items are merged under ``[]``."""
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths.add(path)
            if key not in OPAQUE:
                paths |= shape(item, path)
    elif isinstance(value, list):
        for item in value:
            paths |= shape(item, prefix + "[]")
    return paths


async def real_responses(jp_fetch: Any, account: Any) -> dict[str, Any]:
    """One of each response the panel reads, in the order a person meets them."""
    out: dict[str, Any] = {}

    def keep(name: str, expected: int, answer: tuple[int, Any]) -> Any:
        status, body = answer
        assert status == expected, (name, status, body)
        if name.startswith("error-"):
            assert body["error_code"] == name.removeprefix("error-"), (name, body)
        out[name] = body if expected == 200 else {"status": status, "body": body}
        return body

    keep("context", 200, await call(jp_fetch, "GET", "context"))
    keep("identity", 200, await call(jp_fetch, "GET", "identity"))
    keep("roles", 200, await call(jp_fetch, "GET", "roles"))
    request = {"role_arn": account.role_arn, "engine": "local"}
    keep("report", 200, await call(jp_fetch, "POST", "check", request))
    plan = keep("plan", 200, await call(jp_fetch, "POST", "plan", request))
    applied = keep("apply", 200, await call(jp_fetch, "POST", "apply", {"plan_id": plan["plan_id"]}))
    # the same plan again (409): its writes all landed already
    keep("error-plan_conflict", 409, await call(jp_fetch, "POST", "apply", {"plan_id": plan["plan_id"]}))
    keep("undo", 200, await call(jp_fetch, "POST", "undo", {"backup_id": applied["backup_id"]}))
    # Each error shape: 400, 404, 413, 409 (a backup undone before); 502 comes last
    keep("error-invalid_input", 400, await call(jp_fetch, "POST", "check", {"role_arn": 42}))
    keep("error-profile_not_found", 400, await call(jp_fetch, "GET", "identity?profile=nosuchprofile"))
    keep("error-role_not_found", 404, await call(jp_fetch, "POST", "check", {"role_arn": "NoSuchRole"}))
    keep("error-plan_not_found", 404, await call(jp_fetch, "POST", "apply", {"plan_id": "0" * 64}))
    keep("error-body_too_large", 413, await call(jp_fetch, "POST", "check", {"role_arn": "x" * 20_000}))
    keep("error-already_undone", 409, await call(jp_fetch, "POST", "undo", {"backup_id": applied["backup_id"]}))
    return out


async def test_real_responses_match_the_panels_fixtures(sandbox, jp_fetch, monkeypatch):
    # Given the sandbox account and a Jupyter server with the extension
    # When the panel's calls are made, the happy path and each error shape
    responses = await real_responses(jp_fetch, sandbox)
    # and, last, AWS unreachable (the 502 shape)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    status, body = await call(jp_fetch, "GET", "identity")
    assert status == 502, body
    responses[f"error-{body['error_code']}"] = {"status": status, "body": body}

    # Then every error code is a registered one
    for name, response in responses.items():
        if name.startswith("error-"):
            assert response["body"]["error_code"] in ERROR_CODES, name
            assert set(response["body"]) == {"message", "reason", "error_code", "details"}, name
    # And each response has the shape of its committed fixture (rewritten when it changed)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    force = os.environ.get("NBJOB_IAM_WRITE_FIXTURES") == "1"
    changed = []
    for name, response in responses.items():
        path = FIXTURES / f"{name}.json"
        committed = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
        if committed is None or shape(committed) != shape(response):
            before = shape(committed) if committed is not None else set()
            gone, new = sorted(before - shape(response)), sorted(shape(response) - before)
            changed.append(f"{path.name}: removed {gone or '-'}; added {new or '-'}")
        if force or committed is None or shape(committed) != shape(response):
            path.write_text(json.dumps(response, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    assert not changed, (
        "The server's responses changed shape; the fixtures were rewritten: run `jlpm test` (the panel must "
        "know the new shape, see src/tokens.ts) and commit them.\n" + "\n".join(changed)
    )
