"""Edge inputs of the REST API: bodies nested past the recursion limit, and the name of a bad field."""

from __future__ import annotations

import pytest

from .hardening_helpers import rest, seed

# Deeper than the recursion limit, yet within the 16 KiB body limit (larger bodies are a 413 unparsed)
DEEP = {"array": b"[" * 8_000 + b"]" * 8_000, "object": b'{"a":' * 2_700 + b"1" + b"}" * 2_700}


@pytest.mark.parametrize("path", ["check", "plan", "apply", "undo"])
@pytest.mark.parametrize("shape", sorted(DEEP))
async def test_deeply_nested_body_is_a_400_not_a_500(jp_fetch, aws_env, path, shape):
    # Given a body nested deeper than Python's recursion limit (json.loads raises RecursionError)
    code, payload = await rest(jp_fetch, "POST", path, DEEP[shape])
    # Then a 400 naming the body, like any other body that is not a JSON object
    assert code == 400, payload
    assert payload["details"]["field"] == "body"


@pytest.mark.parametrize("path", ["check", "plan"])
async def test_role_error_names_the_rest_field(jp_fetch, iam, use_keys, path):
    # docs/API.md: a 400's details.field names the field of the request; the body field is role_arn
    use_keys(seed(iam))
    code, payload = await rest(jp_fetch, "POST", path, {"role_arn": "*", "engine": "local"})
    assert code == 400
    assert payload["details"]["field"] == "role_arn", payload["details"]
