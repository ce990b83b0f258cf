"""A fault-injecting HTTP proxy in front of the moto server (127.0.0.1 only, bounded, test use only).

The extension reaches AWS through ``AWS_ENDPOINT_URL``; pointing that at this proxy puts it between
botocore and moto, so every fault goes through the real client path (signing, retries, parsing,
error translation). Rules pick requests by IAM/STS ``Action`` (read from the query-protocol form
body) and/or by their position in the request count, and answer with:

- ``throttle``: HTTP 400 ``<ErrorResponse><Error><Code>Throttling</Code>...`` as IAM's query protocol does;
- ``server_error``: HTTP 500 ``ServiceFailure``;
- ``slow``: no answer for ``delay`` seconds (past the client's read timeout), then the connection closes;
- ``reset``: the connection is reset (TCP RST) without an answer;
- ``latency``: a normal answer, ``delay`` seconds late (a distant endpoint);
- ``leaky``: HTTP 403 ``InvalidClientTokenId`` whose message quotes the request's access key id and
  session token back (as some AWS error messages quote the key id): for the secret-scrubbing tests;
- ``hook``: a normal answer, after ``callback()`` ran once the request reached moto: someone else's
  change landing right between two of the extension's calls.

``after_forward=True`` sends the request on to moto first (so a write *lands*) and only then loses
the answer: the "did my write happen?" case. Every request is recorded as ``(service, action)``,
never with its headers (they carry the access key id and the session token).
"""

from __future__ import annotations

import http.client
import socket
import struct
import threading
import urllib.parse
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from xml.sax.saxutils import escape

FAULTS = ("throttle", "server_error", "slow", "reset", "latency", "leaky", "hook")
WRITE_PREFIXES = ("Put", "Create", "Delete", "Attach", "Detach", "Update", "Set", "Tag", "Untag", "Add", "Remove")

_ERROR_XML = (
    '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>{kind}</Type>'
    "<Code>{code}</Code><Message>{message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>"
)


@dataclass
class Rule:
    """Which requests get which fault. ``action`` None matches every request; ``times`` None means
    every matching request (a persistent fault), else only the first ``times`` matches (transient);
    ``nth`` (1-based, over all requests the proxy saw) picks one request by count."""

    fault: str
    action: str | None = None
    times: int | None = None
    nth: int | None = None
    delay: float = 0.0
    after_forward: bool = False
    callback: Callable[[], object] | None = field(default=None, compare=False)
    hits: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        if self.fault not in FAULTS:
            raise ValueError(f"unknown fault {self.fault!r}; known: {', '.join(FAULTS)}")

    def take(self, action: str, number: int) -> bool:
        """True when this request gets the fault (and counts it)."""
        if self.action is not None and self.action not in (action, action.split(":", 1)[-1]):
            return False
        if self.nth is not None and self.nth != number:
            return False
        if self.times is not None and self.hits >= self.times:
            return False
        self.hits += 1
        return True


def _action_of(body: bytes, headers: http.client.HTTPMessage) -> str:
    """``service:Action`` of a query-protocol request (``iam:GetRole``); ``?`` when unknown."""
    auth = headers.get("Authorization", "")
    scope = auth.split("Credential=", 1)[-1].split(",", 1)[0].split("/") if "Credential=" in auth else []
    service = scope[3] if len(scope) > 3 else "?"
    form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    action = (form.get("Action") or ["?"])[0]
    return f"{service}:{action}"


class FaultProxy:
    """``with FaultProxy(moto_url) as proxy: ...``; ``proxy.url`` goes into ``AWS_ENDPOINT_URL``."""

    def __init__(self, upstream: str, *, max_workers: int = 32, upstream_timeout: float = 30.0) -> None:
        parsed = urllib.parse.urlsplit(upstream)
        if parsed.hostname not in ("127.0.0.1", "localhost"):
            raise ValueError("the fault proxy only forwards to a local server")
        self._upstream = (parsed.hostname, parsed.port)
        self._upstream_timeout = upstream_timeout
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.rules: list[Rule] = []
        self.seen: list[str] = []
        self.injected: Counter[str] = Counter()
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="fault-proxy")
        self._server = _Server(("127.0.0.1", 0), _Handler, self)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fault-proxy", daemon=True
        )

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- rules and records ----------------------------------------------------------------------
    def add(self, fault: str, action: str | None = None, **kwargs: object) -> Rule:
        rule = Rule(fault, action, **kwargs)  # type: ignore[arg-type]
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()
            self.seen.clear()
            self.injected.clear()

    def actions(self, service: str | None = None) -> list[str]:
        with self._lock:
            return [a for a in self.seen if service is None or a.startswith(f"{service}:")]

    def writes(self) -> list[str]:
        """IAM actions seen that change something (Put*, Create*, Delete*, Attach*, ...)."""
        return [a for a in self.actions("iam") if a.split(":", 1)[1].startswith(WRITE_PREFIXES)]

    def _decide(self, action: str) -> Rule | None:
        with self._lock:
            self.seen.append(action)
            number = len(self.seen)
            for rule in self.rules:
                if rule.take(action, number):
                    self.injected[f"{rule.fault}:{action}"] += 1
                    return rule
        return None

    # -- forwarding -----------------------------------------------------------------------------
    def forward(self, method: str, path: str, headers: http.client.HTTPMessage, body: bytes):
        conn = http.client.HTTPConnection(*self._upstream, timeout=self._upstream_timeout)
        try:
            skip = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "content-length"}
            out = {k: v for k, v in headers.items() if k.lower() not in skip}
            out["Content-Length"] = str(len(body))
            conn.request(method, path, body=body, headers=out)
            resp = conn.getresponse()
            return resp.status, resp.getheaders(), resp.read()
        finally:
            conn.close()

    def wait(self, seconds: float) -> None:
        """Sleep, cut short when the proxy stops (so a slow fault never holds up the test run)."""
        self._stopping.wait(seconds)


class _Server(HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, handler, proxy: FaultProxy) -> None:
        super().__init__(address, handler)
        self.proxy = proxy

    def process_request(self, request, client_address) -> None:  # bounded: a pool, not a thread each
        self.proxy._pool.submit(self._work, request, client_address)

    def _work(self, request, client_address) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - a broken client connection is not the proxy's failure
            pass
        finally:
            self.shutdown_request(request)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30

    def log_message(self, *args: object) -> None:  # quiet, and never log headers
        pass

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def _serve(self) -> None:
        proxy: FaultProxy = self.server.proxy  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        rule = proxy._decide(_action_of(body, self.headers))
        fault = rule.fault if rule else None
        if rule is not None and fault == "latency":
            proxy.wait(rule.delay)
        if fault == "leaky":
            return self._leak()
        if fault in ("throttle", "server_error") and not rule.after_forward:
            return self._error(fault)
        if fault in ("slow", "reset") and not rule.after_forward:
            return self._lose(rule, proxy)
        status, headers, payload = proxy.forward(self.command, self.path, self.headers, body)
        if fault == "hook" and rule.callback is not None:
            rule.callback()
        if fault in ("throttle", "server_error"):
            return self._error(fault)
        if fault in ("slow", "reset"):
            return self._lose(rule, proxy)
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in ("transfer-encoding", "connection", "content-length", "date", "server"):
                self.send_header(name, value)
        self._end(payload)

    def _end(self, payload: bytes) -> None:
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        self.wfile.write(payload)

    def _error(self, fault: str) -> None:
        if fault == "throttle":
            self._answer(400, "Sender", "Throttling", "Rate exceeded")
        else:
            self._answer(500, "Receiver", "ServiceFailure", "Request processing has failed.")

    def _leak(self) -> None:
        auth = self.headers.get("Authorization", "")
        key_id = auth.split("Credential=", 1)[-1].split("/", 1)[0] if "Credential=" in auth else ""
        token = self.headers.get("X-Amz-Security-Token", "")
        message = f"The security token included in the request is invalid: key {key_id}, token {token}."
        self._answer(403, "Sender", "InvalidClientTokenId", message)

    def _answer(self, status: int, kind: str, code: str, message: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self._end(_ERROR_XML.format(kind=kind, code=code, message=escape(message)).encode())

    def _lose(self, rule: Rule, proxy: FaultProxy) -> None:
        """No answer: wait (``slow``) then close, or reset the connection at once (``reset``)."""
        if rule.fault == "slow":
            proxy.wait(rule.delay)
        else:  # SO_LINGER 0: close() sends a TCP RST, not a FIN
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.rfile.close()
            self.connection.close()
        self.close_connection = True
