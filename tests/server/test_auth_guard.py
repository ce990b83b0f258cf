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
