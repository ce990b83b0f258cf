"""GET /nbjob-iam/identity, and the error map every endpoint shares (400, 502, never a traceback)."""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import HTTPClientError

from .aws_scene import user_with_keys


async def test_identity_of_a_user_keeps_its_path(aws_env, monkeypatch, jp_fetch):
    # Given credentials of an IAM user with a path
    arn = user_with_keys(monkeypatch)
    # When the panel asks who this is
    response = await jp_fetch("nbjob-iam", "identity")
    # Then it gets the user, path kept, editable
    body = json.loads(response.body)
    assert body["arn"] == arn == "arn:aws:iam::123456789012:user/notebook-users/ada"
    assert body["kind"] == "user"
    assert body["principal_arn"] == arn
    assert body["account"] == "123456789012"
    assert body["editable"] is True


async def _error(jp_fetch, *parts, **kwargs) -> tuple[int, dict]:
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch(*parts, **kwargs)
    return info.value.code, json.loads(info.value.response.body)


@pytest.mark.parametrize(
    "params,field",
    [({"region": "mars-north-1x"}, "region"), ({"profile": "bad profile!"}, "profile")],
)
async def test_bad_query_is_a_400_naming_the_field(aws_env, jp_fetch, params, field):
    # Given a malformed query parameter
    code, body = await _error(jp_fetch, "nbjob-iam", "identity", params=params)
    # Then a 400 in the one error shape, naming the field
    assert code == 400
    assert body["error_code"] == "invalid_input"
    assert body["details"]["field"] == field
    assert set(body) == {"message", "reason", "error_code", "details"}


async def test_unknown_profile_is_a_400_listing_the_profiles(aws_env, jp_fetch):
    code, body = await _error(jp_fetch, "nbjob-iam", "identity", params={"profile": "nope"})
    assert code == 400
    assert body["error_code"] == "profile_not_found"
    assert "nope" in body["message"]


async def test_unreachable_aws_is_a_502_with_plain_words(aws_env, jp_fetch, monkeypatch):
    # Given an AWS endpoint where nothing listens
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    # When the panel asks for the identity
    code, body = await _error(jp_fetch, "nbjob-iam", "identity", request_timeout=120)
    # Then a 502 that says AWS could not be reached, without a traceback
    assert code == 502
    assert body["error_code"] == "endpoint_unreachable"
    assert "Traceback" not in json.dumps(body)


async def test_no_credentials_is_a_502_saying_what_to_do(aws_env, jp_fetch, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    code, body = await _error(jp_fetch, "nbjob-iam", "identity")
    assert code == 502
    assert body["error_code"] in {"credentials", "no_credentials"}


async def test_bad_json_body_is_a_400(aws_env, jp_fetch):
    code, body = await _error(jp_fetch, "nbjob-iam", "check", method="POST", body="{not json")
    assert code == 400
    assert body["details"]["field"] == "body"


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"role_arn": 42}, "role_arn"),
        ({"engine": "magic"}, "engine"),
        ({"region": "x"}, "region"),
        ({"surprise": True}, "surprise"),
        ({"role_arn": "a" * 5000}, "role_arn"),
    ],
)
async def test_bad_check_body_is_a_400_naming_the_field(aws_env, jp_fetch, payload, field):
    code, body = await _error(jp_fetch, "nbjob-iam", "check", method="POST", body=json.dumps(payload))
    assert code == 400
    assert body["details"]["field"] == field


@pytest.mark.parametrize(
    "path,payload,field",
    [
        ("apply", {}, "plan_id"),
        ("apply", {"plan_id": "../../etc"}, "plan_id"),
        ("undo", {"backup_id": "a b"}, "backup_id"),
    ],
)
async def test_apply_and_undo_validate_their_ids(aws_env, jp_fetch, path, payload, field):
    code, body = await _error(jp_fetch, "nbjob-iam", path, method="POST", body=json.dumps(payload))
    assert code == 400
    assert body["details"]["field"] == field
