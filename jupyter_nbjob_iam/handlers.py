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
from types import TracebackType
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin

from .errors import NbJobIamError
from .models import parse_apply, parse_check, parse_json_body, parse_profile, parse_region, parse_undo

log = logging.getLogger("jupyter_nbjob_iam")

NAMESPACE = "nbjob-iam"
AUTH_RESOURCE = "nbjob-iam"


class BaseHandler(ExtensionHandlerMixin, APIHandler):
    """Shared plumbing: the one error map and the thread-pool offload."""

    auth_resource = AUTH_RESOURCE

    @property
    def service(self):
        return self.settings["nbjob_iam_service"]

    def profile_and_region(self) -> tuple[str | None, str | None]:
        profile = parse_profile(self.get_query_argument("profile", None) or None)
        region = parse_region(self.get_query_argument("region", None) or None)
        return profile, region

    async def offload(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        loop = asyncio.get_running_loop()
        executor = self.settings["nbjob_iam_executor"]
        return await loop.run_in_executor(executor, functools.partial(fn, *args, **kwargs))

    def finish_json(self, payload: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))

    def log_exception(
        self, typ: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
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
        profile = parse_profile(self.get_query_argument("profile", None) or None)
        self.finish_json(await self.offload(self.service.context, profile))


class IdentityHandler(BaseHandler):
    """GET /nbjob-iam/identity?profile=&region=: who the credentials belong to."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.finish_json(await self.offload(self.service.identity, *self.profile_and_region()))


class RolesHandler(BaseHandler):
    """GET /nbjob-iam/roles?profile=&region=: candidate execution roles and the default one."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.finish_json(await self.offload(self.service.roles, *self.profile_and_region()))


class CheckHandler(BaseHandler):
    """POST /nbjob-iam/check: the report, statement by statement."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        params = parse_check(parse_json_body(self.request.body))
        self.finish_json(await self.offload(self.service.check, params))


class PlanHandler(BaseHandler):
    """POST /nbjob-iam/plan: a pure preview of every write the fix would make."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        params = parse_check(parse_json_body(self.request.body), allow_policy_name=True)
        self.finish_json(await self.offload(self.service.plan, params))


class ApplyHandler(BaseHandler):
    """POST /nbjob-iam/apply: apply a plan the person saw, then verify."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        plan_id = parse_apply(parse_json_body(self.request.body))
        self.finish_json(await self.offload(self.service.apply, plan_id))


class UndoHandler(BaseHandler):
    """POST /nbjob-iam/undo: restore the documents one apply replaced."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        backup_id = parse_undo(parse_json_body(self.request.body))
        self.finish_json(await self.offload(self.service.undo, backup_id))


def route_table() -> list[tuple[str, type[BaseHandler]]]:
    """Every route of the extension (relative to the server's base_url)."""
    return [
        (rf"/{NAMESPACE}/context", ContextHandler),
        (rf"/{NAMESPACE}/identity", IdentityHandler),
        (rf"/{NAMESPACE}/roles", RolesHandler),
        (rf"/{NAMESPACE}/check", CheckHandler),
        (rf"/{NAMESPACE}/plan", PlanHandler),
        (rf"/{NAMESPACE}/apply", ApplyHandler),
        (rf"/{NAMESPACE}/undo", UndoHandler),
    ]
