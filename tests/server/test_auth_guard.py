"""Every endpoint of the extension refuses a request without a valid Jupyter token."""

from __future__ import annotations

import pytest
from tornado.httpclient import HTTPClientError

from .endpoints import endpoints, fetch_args


def test_route_table_is_enumerated():
    assert ("GET", "nbjob-iam/context") in endpoints()


@pytest.mark.parametrize("method,path", endpoints())
@pytest.mark.parametrize("token", ["", "token not-the-right-one"])
async def test_rejects_requests_without_a_valid_token(jp_fetch, method, path, token):
    # Given a request with no token, or a wrong one
    parts, kwargs = fetch_args(method, path)
    # When it reaches any endpoint of the extension
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch(*parts, headers={"Authorization": token}, **kwargs)
    # Then Jupyter refuses it before the handler runs
    assert info.value.code == 403


GUARD_METHODS = (
    "check_xsrf_cookie",
    "check_origin",
    "check_referer",
    "get_current_user",
    "prepare",
    "set_default_headers",
)


def test_no_handler_loosens_jupyters_guards():
    # The extension overrides none of the methods through which Jupyter enforces auth, XSRF and CORS
    from jupyter_nbjob_iam.handlers import route_table

    for _, handler in route_table():
        own = [k for k in handler.__mro__ if k.__module__.startswith("jupyter_nbjob_iam")]
        for klass in own:
            overridden = set(vars(klass)) & set(GUARD_METHODS)
            assert not overridden, f"{klass.__name__} overrides {overridden}"


async def test_extension_adds_no_cors_headers_beyond_jupyters(jp_fetch, aws_env):
    # Given a cross-origin request, to Jupyter itself and to the extension
    origin = {"Origin": "https://evil.example"}
    ours = (await jp_fetch("nbjob-iam", "context", headers=origin)).headers
    jupyters = (await jp_fetch("api", "status", headers=origin)).headers
    # Then the extension answers with exactly Jupyter's CORS policy (Jupyter lets token-authenticated
    # requests through cross-origin by design; the extension adds nothing of its own)
    for header in ("Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Headers"):
        assert ours.get(header) == jupyters.get(header), header
