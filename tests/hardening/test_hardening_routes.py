"""Access: the handlers a *running* server has for the extension are exactly ``route_table()``, each
one is guarded, and the extension leaves the server's XSRF/CORS settings as Jupyter sets them.

tests/server enumerates ``route_table()``; this walks the live Tornado routers instead, so a handler
registered some other way (another ``add_handlers``, a second extension point) cannot skip the guards.
"""

from __future__ import annotations

import re

from tornado.routing import PathMatches, Rule
from tornado.web import RequestHandler

from jupyter_nbjob_iam import handlers as our_handlers
from jupyter_nbjob_iam.handlers import NAMESPACE, BaseHandler, route_table

HTTP_METHODS = ("get", "head", "post", "put", "patch", "delete", "options")


def _live_rules(router) -> list[tuple[str, type]]:
    """Every (path regex, handler class) reachable from a Tornado router, nested routers included."""
    found: list[tuple[str, type]] = []
    for rule in getattr(router, "rules", []):
        assert isinstance(rule, Rule)
        target = rule.target
        if isinstance(target, type) and issubclass(target, RequestHandler):
            pattern = rule.matcher.regex.pattern if isinstance(rule.matcher, PathMatches) else repr(rule.matcher)
            found.append((pattern, target))
        elif hasattr(target, "rules"):
            found.extend(_live_rules(target))
    return found


def _all_live(web_app) -> list[tuple[str, type]]:
    return _live_rules(web_app.wildcard_router) + _live_rules(web_app.default_router)


def _ours(web_app) -> set[tuple[str, type]]:
    """Routes under the extension's namespace, or served by any class of the extension's package."""
    return {
        (pattern, handler)
        for pattern, handler in _all_live(web_app)
        if f"/{NAMESPACE}" in pattern or handler.__module__.startswith("jupyter_nbjob_iam")
    }


def _expected(base_url: str) -> set[tuple[str, type]]:
    prefix = base_url.rstrip("/")
    return {(f"{prefix}{pattern}$", handler) for pattern, handler in route_table()}


def test_live_routes_of_the_extension_are_exactly_the_route_table(jp_serverapp):
    # Given a running Jupyter server with the extension loaded
    web_app = jp_serverapp.web_app
    # When its routers are walked for anything of ours
    live = _ours(web_app)
    # Then the set is exactly route_table(), nothing more, nothing less
    assert live == _expected(jp_serverapp.base_url)
    assert len(live) == len(route_table()) == 7


def test_every_live_handler_of_ours_is_the_guarded_base_handler(jp_serverapp):
    # Given every handler class of ours the server would dispatch to
    for _, handler in _ours(jp_serverapp.web_app):
        # Then it inherits the one error map and the Jupyter API guards (auth, XSRF, CORS)
        assert issubclass(handler, BaseHandler), handler
        # And every HTTP verb it implements is wrapped by both guards (tornado's @authenticated
        # and jupyter_server's @authorized keep the wrapped function in __wrapped__)
        for verb in HTTP_METHODS:
            method = vars(handler).get(verb)
            if method is None:
                continue
            layers = []
            while hasattr(method, "__wrapped__"):
                layers.append(method.__qualname__)
                method = method.__wrapped__
            assert len(layers) >= 2, f"{handler.__name__}.{verb} is not wrapped by @authenticated and @authorized"


def test_handlers_module_registers_nothing_outside_route_table():
    # Given every handler class defined in handlers.py
    defined = {
        obj
        for obj in vars(our_handlers).values()
        if isinstance(obj, type) and issubclass(obj, BaseHandler) and obj is not BaseHandler
    }
    # Then each is routed (a class left out of route_table would be dead code, or routed elsewhere)
    assert defined == {handler for _, handler in route_table()}


def test_extension_does_not_loosen_xsrf(jp_serverapp):
    # XSRF protection stays on: the extension sets none of the settings that switch it off
    settings = jp_serverapp.web_app.settings
    assert settings.get("xsrf_cookies") is True
    assert not settings.get("disable_check_xsrf") and not jp_serverapp.disable_check_xsrf


def test_extension_adds_no_cors_origin(jp_serverapp):
    # No allowed origin was added by loading the extension (Jupyter's defaults: none)
    settings = jp_serverapp.web_app.settings
    assert not settings.get("allow_origin") and not settings.get("allow_origin_pat")
    assert not jp_serverapp.allow_origin and not jp_serverapp.allow_origin_pat
    assert not any(re.match(r"nbjob_iam_.*(origin|xsrf|cors)", key) for key in settings)
