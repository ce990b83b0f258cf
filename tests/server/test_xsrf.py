"""POSTs are XSRF-protected: a browser session (cookie) without the XSRF token is refused.

Token-authenticated requests (the CLI-style ``Authorization: token``) are exempt by Jupyter's design;
a browser's cookie session is what XSRF protects, so the test logs in with a cookie first.
"""

from __future__ import annotations

import json
from http.cookies import SimpleCookie

import pytest
from tornado.httpclient import HTTPClientError

from .endpoints import endpoints

POSTS = [path for method, path in endpoints() if method == "POST"]


async def browser_cookies(jp_fetch, jp_serverapp) -> dict[str, str]:
    """Log in the way a browser does (token in the URL once), keep the cookies it sets."""
    token = jp_serverapp.identity_provider.token
    response = await jp_fetch("api", "status", params={"token": token}, headers={"Authorization": ""})
    jar = SimpleCookie()
    for header in response.headers.get_list("Set-Cookie"):
        jar.load(header)
    cookies = {name: morsel.value for name, morsel in jar.items()}
    assert any(name.startswith("username-") for name in cookies), cookies
    return cookies


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def test_there_are_posts_to_protect():
    assert {"nbjob-iam/check", "nbjob-iam/plan", "nbjob-iam/apply", "nbjob-iam/undo"} <= set(POSTS)


@pytest.mark.parametrize("path", POSTS)
async def test_cookie_session_post_without_xsrf_token_is_refused(jp_fetch, jp_serverapp, path):
    # Given a logged-in browser session, without the _xsrf token
    cookies = {k: v for k, v in (await browser_cookies(jp_fetch, jp_serverapp)).items() if k != "_xsrf"}
    # When it POSTs to the extension
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch(
            *path.split("/"),
            method="POST",
            body="{}",
            headers={"Authorization": "", "Cookie": _cookie_header(cookies)},
        )
    # Then Jupyter refuses it as a cross-site request
    assert info.value.code == 403
    assert b"XSRF" in info.value.response.body or b"_xsrf" in info.value.response.body


async def test_cookie_session_post_with_xsrf_token_reaches_the_handler(jp_fetch, jp_serverapp, aws_env):
    # Given the same browser session, sending the XSRF token as JupyterLab does
    cookies_now = await browser_cookies(jp_fetch, jp_serverapp)
    xsrf = cookies_now.get("_xsrf") or "xsrf-test-value"
    cookies = {**cookies_now, "_xsrf": xsrf}
    # When it POSTs a malformed body
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch(
            "nbjob-iam",
            "undo",
            method="POST",
            body=json.dumps({"backup_id": "not a valid id"}),
            headers={"Authorization": "", "Cookie": _cookie_header(cookies), "X-XSRFToken": xsrf},
        )
    # Then it got past Jupyter's guards to our validation (a 400 of ours, not a 403)
    assert info.value.code == 400
    assert json.loads(info.value.response.body)["details"]["field"] == "backup_id"
