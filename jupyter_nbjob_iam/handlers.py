"""Thin Tornado handlers: authenticate, authorize, parse, call one service function, write JSON.

Every AWS call runs in the extension's thread pool, never on the event loop. Errors of the
``NbJobIamError`` family become ``{message, reason, error_code, details}`` with their own status;
anything unexpected becomes a 500 of the same shape without a traceback. 401/403 stay Jupyter's own.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections.abc import Callable
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin

from . import __version__
from .errors import NbJobIamError
from .scheduler_settings import scheduler_default_role_arn

log = logging.getLogger("jupyter_nbjob_iam")

NAMESPACE = "nbjob-iam"
AUTH_RESOURCE = "nbjob-iam"


class BaseHandler(ExtensionHandlerMixin, APIHandler):
    """Shared plumbing: the one error map and the thread-pool offload."""

    auth_resource = AUTH_RESOURCE

    @property
    def config_app(self):
        return self.settings["nbjob_iam_config"]

    async def offload(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        loop = asyncio.get_running_loop()
        executor = self.settings["nbjob_iam_executor"]
        return await loop.run_in_executor(executor, functools.partial(fn, *args, **kwargs))

    def finish_json(self, payload: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))

    def log_exception(self, typ, value, tb) -> None:  # type: ignore[override]
        if isinstance(value, NbJobIamError):
            log.info("%s %s -> %s (%s)", self.request.method, self.request.path, value.status, value.error_code)
            return
        super().log_exception(typ, value, tb)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, NbJobIamError):
            self.set_status(exc.status)
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps(exc.to_json()))
            return
        if isinstance(exc, tornado.web.HTTPError) and exc.status_code < 500:
            super().write_error(status_code, **kwargs)
            return
        self.set_header("Content-Type", "application/json")
        self.finish(
            json.dumps(
                {
                    "message": "The extension hit an unexpected error; see the Jupyter server log.",
                    "reason": "Internal Server Error",
                    "error_code": "internal_error",
                    "details": {},
                }
            )
        )


class ContextHandler(BaseHandler):
    """GET /nbjob-iam/context: profiles, default profile and region, scheduler defaults."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        from .aws import resolve_context

        app = self.config_app
        profile = self.get_query_argument("profile", None) or app.default_profile
        context = await self.offload(resolve_context, profile=profile)
        if app.default_region:
            context["region"], context["region_source"] = app.default_region, "server configuration"
        context["scheduler"] = {"role_arn": await self.offload(scheduler_default_role_arn)}
        context["settings"] = {"inline_policy_name": app.inline_policy_name}
        context["version"] = __version__
        self.finish_json(context)


def route_table() -> list[tuple[str, type[BaseHandler]]]:
    """Every route of the extension (relative to the server's base_url)."""
    return [
        (rf"/{NAMESPACE}/context", ContextHandler),
    ]
