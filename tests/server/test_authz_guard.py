"""Every endpoint goes through Jupyter's authorizer (resource ``nbjob-iam``)."""

from __future__ import annotations

import pytest
from jupyter_server.auth.authorizer import Authorizer
from tornado.httpclient import HTTPClientError

from jupyter_nbjob_iam.handlers import AUTH_RESOURCE

from .endpoints import endpoints, fetch_args


class DenyNbJobIam(Authorizer):
    """An authenticated user may use Jupyter, but not this extension."""

    def is_authorized(self, handler, user, action, resource):
        return resource != AUTH_RESOURCE


@pytest.fixture
def jp_server_config(jp_server_config):
    server = {**jp_server_config["ServerApp"], "authorizer_class": DenyNbJobIam}
    return {**jp_server_config, "ServerApp": server}


@pytest.mark.parametrize("method,path", endpoints())
async def test_authorizer_denies_every_endpoint(jp_fetch, method, path):
    # Given a valid token but an authorizer that denies the extension's resource
    parts, kwargs = fetch_args(method, path)
    # When any endpoint is called
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch(*parts, **kwargs)
    # Then the @authorized guard refuses it
    assert info.value.code == 403


async def test_authorizer_still_allows_jupyter_itself(jp_fetch):
    # The denial above is specific to this extension, not a broken server
    response = await jp_fetch("api", "status")
    assert response.code == 200
