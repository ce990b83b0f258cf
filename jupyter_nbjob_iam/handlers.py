"""Thin Tornado handlers: authenticate, authorize, parse, call one service function, write JSON.

Nothing slow runs on the event loop:

- Bodies are streamed and counted: past ``MAX_BODY_BYTES`` (the largest valid body is about 12 KB)
  the rest is discarded unread and the answer is 413 ``body_too_large``; only a body within the
  limit is parsed, which takes microseconds.
- Service methods run on worker threads, in three lanes that never wait for each other: ``local``
  (no AWS call: ``context``), ``aws`` (check, plan, identity, roles: ``NbJobIamApp.max_workers``
  threads) and ``fix`` (apply and undo, with their verification waits). Their AWS calls share the
  service's process-wide limiter.
- Each request that calls AWS has a deadline (``NbJobIamService.check_timeout`` / ``fix_timeout``):
  past it the handler answers 504 ``deadline_exceeded`` naming the slow step, and the request's work
  stops starting AWS calls.

Errors of the ``NbJobIamError`` family become ``{message, reason, error_code, details}`` with their
own status; anything unexpected becomes a 500 of the same shape without a traceback. 401/403 stay
Jupyter's own.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import Future
from types import TracebackType
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin

from .constants import MAX_BODY_BYTES
from .errors import NbJobIamError, PayloadTooLargeError
from .models import parse_apply, parse_check, parse_json_body, parse_profile, parse_region, parse_undo

NAMESPACE = "nbjob-iam"
AUTH_RESOURCE = "nbjob-iam"
LANES = ("local", "aws", "fix")
QUEUED = "waiting for a free worker thread (other requests hold all of NbJobIamApp.max_workers)"


class BaseHandler(ExtensionHandlerMixin, APIHandler):
    """Shared plumbing: the one error map, the lanes and the deadline."""

    auth_resource = AUTH_RESOURCE

    @property
    def service(self):
        return self.settings["nbjob_iam_service"]

    def profile_and_region(self) -> tuple[str | None, str | None]:
        profile = parse_profile(self.get_query_argument("profile", None) or None)
        region = parse_region(self.get_query_argument("region", None) or None)
        return profile, region

    async def run_local(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)`` on the lane of work without AWS calls (never behind AWS calls)."""
        return await asyncio.wrap_future(self.settings["nbjob_iam_executors"]["local"].submit(fn, *args))

    async def run_aws(self, lane: str, kind: str, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args, deadline=...)`` on ``lane`` with the deadline of a ``kind`` request: at the
        deadline, answer 504 at once and cancel the work's remaining AWS calls."""
        deadline = self.service.deadline(kind)
        deadline.stage = QUEUED

        def run() -> Any:
            deadline.stage = None
            return fn(*args, deadline=deadline)

        future: Future[Any] = self.settings["nbjob_iam_executors"][lane].submit(run)
        waiting = asyncio.wrap_future(future)
        waiting.add_done_callback(lambda f: f.cancelled() or f.exception())  # late errors are not "unretrieved"
        try:
            return await asyncio.wait_for(asyncio.shield(waiting), timeout=deadline.remaining())
        except asyncio.TimeoutError:
            error = deadline.error()
            deadline.cancel()
            future.cancel()  # still queued: never starts
            raise error from None

    def finish_json(self, payload: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))

    def log_exception(
        self, typ: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        if isinstance(value, NbJobIamError):
            self.log.info(
                "nbjob-iam %s %s -> %s (%s)", self.request.method, self.request.path, value.status, value.error_code
            )
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


class StreamedBody:
    """For POST handlers (with ``@tornado.web.stream_request_body``): the body is counted as it
    arrives, kept only within the limit, and parsed only then."""

    _size = 0  # per request: the first += makes it the handler instance's own
    _chunks: list[bytes] | None = None

    def data_received(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > MAX_BODY_BYTES:
            self._chunks = None  # too large: the rest is counted, never kept
        elif self._chunks is None:
            self._chunks = [chunk]
        else:
            self._chunks.append(chunk)

    def json_body(self) -> dict[str, Any]:
        if self._size > MAX_BODY_BYTES:
            raise PayloadTooLargeError(
                f"The request body is {self._size:,} bytes; no valid request is larger than {MAX_BODY_BYTES:,}.",
                details={"field": "body", "size": self._size, "limit": MAX_BODY_BYTES},
            )
        return parse_json_body(b"".join(self._chunks or []))


class ContextHandler(BaseHandler):
    """GET /nbjob-iam/context: profiles, default profile and region, scheduler defaults."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        profile = parse_profile(self.get_query_argument("profile", None) or None)
        self.finish_json(await self.run_local(self.service.context, profile))


class IdentityHandler(BaseHandler):
    """GET /nbjob-iam/identity?profile=&region=: who the credentials belong to."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.finish_json(await self.run_aws("aws", "identity", self.service.identity, *self.profile_and_region()))


class RolesHandler(BaseHandler):
    """GET /nbjob-iam/roles?profile=&region=: candidate execution roles and the default one."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.finish_json(await self.run_aws("aws", "roles", self.service.roles, *self.profile_and_region()))


@tornado.web.stream_request_body
class CheckHandler(StreamedBody, BaseHandler):
    """POST /nbjob-iam/check: the report, statement by statement."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        params = parse_check(self.json_body())
        self.finish_json(await self.run_aws("aws", "check", self.service.check, params))


@tornado.web.stream_request_body
class PlanHandler(StreamedBody, BaseHandler):
    """POST /nbjob-iam/plan: a pure preview of every write the fix would make."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        params = parse_check(self.json_body(), allow_policy_name=True)
        self.finish_json(await self.run_aws("aws", "plan", self.service.plan, params))


@tornado.web.stream_request_body
class ApplyHandler(StreamedBody, BaseHandler):
    """POST /nbjob-iam/apply: apply a plan the person saw, then verify."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        plan_id = parse_apply(self.json_body())
        self.finish_json(await self.run_aws("fix", "apply", self.service.apply, plan_id))


@tornado.web.stream_request_body
class UndoHandler(StreamedBody, BaseHandler):
    """POST /nbjob-iam/undo: restore the documents one apply replaced."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        backup_id = parse_undo(self.json_body())
        self.finish_json(await self.run_aws("fix", "undo", self.service.undo, backup_id))


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
