"""One bound on AWS calls for the whole process, deadlines, and task groups over a shared pool.

- ``AwsLimiter``: at most ``max_calls`` AWS calls in flight at once, wherever they run (every call
  passes ``AwsSession.errors``, which takes a slot), and one pool of ``max_calls`` threads for the
  calls that run in parallel. The server makes one (``NbJobIamService.aws_max_concurrency``); the CLI
  and library callers share ``default_limiter()``. No request opens a pool of its own.
- ``Deadline``: the overall time budget of one request. Past it no new AWS call starts (nor a retry:
  the session checks before every attempt), queued tasks are dropped, waiting threads give up, and
  the error (``DeadlineError``, 504) names the step that was slow.
- ``TaskGroup``: the tasks of one read (a principal's policies, one simulation) on the shared pool.
  Tasks may spawn follow-ups; a task never blocks on another task, so pool threads never wait for
  each other and a bounded pool cannot deadlock. Only the thread that started the work waits (on
  ``TaskGroup.done``). Lower priority numbers run first, across the whole process: calls that
  discover more work go ahead of leaf fetches.
- ``pick_error``: when several calls fail at once, the error a person sees does not depend on which
  thread finished first: the most fundamental kind wins, then a fixed key.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from ..constants import AWS_MAX_CONCURRENCY
from ..errors import (
    AccessDeniedError,
    AwsError,
    ConflictError,
    CredentialsError,
    DeadlineError,
    EndpointError,
    InputError,
    NbJobIamError,
    NotFoundError,
)

T = TypeVar("T")

DEFAULT_MAX_WORKERS = AWS_MAX_CONCURRENCY

# Among concurrent failures, the earliest kind here is the one reported. A bug (an exception that is
# none of the project's) comes first, so it is never hidden behind an AWS error.
ERROR_PRECEDENCE: tuple[type[NbJobIamError], ...] = (
    InputError,
    CredentialsError,
    NotFoundError,
    ConflictError,
    AccessDeniedError,
    EndpointError,
    AwsError,
    NbJobIamError,
    DeadlineError,
)


def error_rank(exc: BaseException) -> int:
    if not isinstance(exc, NbJobIamError):
        return -1
    if isinstance(exc, DeadlineError):
        return len(ERROR_PRECEDENCE)
    return next(i for i, kind in enumerate(ERROR_PRECEDENCE) if isinstance(exc, kind))


def pick_error(failures: Iterable[tuple[Any, BaseException]]) -> BaseException | None:
    """The error to report among ``(key, error)`` pairs: lowest ``error_rank``, then lowest key."""
    best = min(failures, key=lambda kv: (error_rank(kv[1]), _sortable(kv[0])), default=None)
    return best[1] if best is not None else None


def _sortable(key: Any) -> tuple[str, ...]:
    return tuple(str(k) for k in key) if isinstance(key, tuple) else (str(key),)


class Deadline:
    """The time budget of one request (``seconds`` None: no limit). Thread-safe."""

    def __init__(self, seconds: float | None, what: str = "request") -> None:
        self.seconds = seconds
        self.what = what
        self._at = time.monotonic() + seconds if seconds is not None else None
        self._cancelled = threading.Event()
        self._lock = threading.Lock()
        self._calls: dict[int, tuple[float, str]] = {}
        self._ids = itertools.count()
        self.stage: str | None = None  # a step that is not an AWS call (e.g. "verifying the fix")

    def remaining(self) -> float | None:
        if self._cancelled.is_set():
            return 0.0
        return None if self._at is None else max(0.0, self._at - time.monotonic())

    def expired(self) -> bool:
        remaining = self.remaining()
        return remaining is not None and remaining <= 0

    def cancel(self) -> None:
        """Give up now (the handler answered 504): nothing more starts."""
        self._cancelled.set()

    def check(self, action: str | None = None) -> None:
        if self.expired():
            raise self.error(action)

    @contextmanager
    def calling(self, action: str | None) -> Iterator[None]:
        """Track an AWS call in flight, so a timeout can name it."""
        key = next(self._ids)
        with self._lock:
            self._calls[key] = (time.monotonic(), action or "an AWS call")
        try:
            yield
        finally:
            with self._lock:
                self._calls.pop(key, None)

    def slow_step(self, fallback: str | None = None) -> str:
        """The oldest AWS call still in flight, else the current stage, else ``fallback``."""
        with self._lock:
            calls = sorted(self._calls.values())
        if calls:
            return calls[0][1]
        return self.stage or fallback or "waiting for a free slot for AWS calls"

    def error(self, action: str | None = None) -> DeadlineError:
        step = self.slow_step(action)
        seconds = f"{self.seconds:g} s" if self.seconds is not None else "its time"
        return DeadlineError(
            f"The {self.what} did not finish within {seconds}: the slow step was {step}. Nothing more is "
            "being sent to AWS for it. Try again; if it keeps happening, check the network, a proxy or "
            "AWS_ENDPOINT_URL.",
            details={"step": step, "timeout_seconds": self.seconds, "request": self.what},
        )

    def sleep(self, seconds: float) -> None:
        """Sleep ``seconds``, or raise ``DeadlineError`` at the deadline (or when cancelled)."""
        remaining = self.remaining()
        if remaining is not None and remaining <= seconds:
            self._cancelled.wait(remaining)
            raise self.error()
        if self._cancelled.wait(max(0.0, seconds)):
            raise self.error()

    def wait(self, future: Future[Any]) -> None:
        """Wait for ``future`` to be done, at most until the deadline."""
        if future.done():
            return
        done = threading.Event()
        future.add_done_callback(lambda _: done.set())
        while not done.is_set():
            remaining = self.remaining()
            if remaining is not None and remaining <= 0:
                raise self.error()
            done.wait(None if remaining is None else min(remaining, 0.25))  # wakes for cancel() too


def _wait_done(future: Future[Any], timeout: float | None) -> None:
    event = threading.Event()
    future.add_done_callback(lambda _: event.set())
    event.wait(timeout)


class AwsLimiter:
    """At most ``max_calls`` AWS calls in flight, process-wide, and the pool that runs parallel ones.

    ``in_flight`` and ``peak`` count the calls holding a slot (for the tests and the benchmark).
    """

    def __init__(self, max_calls: int = AWS_MAX_CONCURRENCY, name: str = "nbjob-iam-aws") -> None:
        self.max_calls = max(1, int(max_calls))
        self._slots = threading.BoundedSemaphore(self.max_calls)
        self._pool = ThreadPoolExecutor(max_workers=self.max_calls, thread_name_prefix=name)
        self._lock = threading.Lock()
        self._heap: list[tuple[int, int, Callable[[], None]]] = []
        self._seq = itertools.count()
        self._held = threading.local()
        self.in_flight = 0
        self.peak = 0

    @contextmanager
    def slot(self, deadline: Deadline | None = None, action: str | None = None) -> Iterator[None]:
        """Hold one slot for the AWS calls of the block (re-entrant within a thread)."""
        if getattr(self._held, "depth", 0):
            self._held.depth += 1
            try:
                yield
            finally:
                self._held.depth -= 1
            return
        self._acquire(deadline, action)
        self._held.depth = 1
        with self._lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            yield
        finally:
            self._held.depth = 0
            with self._lock:
                self.in_flight -= 1
            self._slots.release()

    def _acquire(self, deadline: Deadline | None, action: str | None) -> None:
        while True:
            if deadline is not None:
                deadline.check(action)
                remaining = deadline.remaining()
                timeout = None if remaining is None else min(remaining, 0.25)
            else:
                timeout = None
            if self._slots.acquire(timeout=timeout) if timeout is not None else self._slots.acquire():
                return

    def submit(self, runner: Callable[[], None], priority: int = 0) -> None:
        """Run ``runner`` on the pool; of the queued runners, the lowest ``priority`` goes first."""
        with self._lock:
            heapq.heappush(self._heap, (priority, next(self._seq), runner))
        try:
            self._pool.submit(self._run_next)
        except BaseException:
            with self._lock:
                self._heap = [e for e in self._heap if e[2] is not runner]
                heapq.heapify(self._heap)
            raise

    def _run_next(self) -> None:
        with self._lock:
            _, _, runner = heapq.heappop(self._heap)
        runner()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


_DEFAULT: AwsLimiter | None = None
_DEFAULT_LOCK = threading.Lock()


def default_limiter() -> AwsLimiter:
    """The process-wide limiter of callers that bring none (the CLI, scripts, tests)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = AwsLimiter(AWS_MAX_CONCURRENCY)
        return _DEFAULT


class TaskGroup:
    """The tasks of one piece of work on an ``AwsLimiter``'s pool; ``done`` resolves when every task
    (and every follow-up) has finished. ``TaskGroup(4)`` runs on a private limiter of 4 (closed by
    ``close()``): for tests and tools that want their own bound."""

    def __init__(self, limiter: AwsLimiter | int | None = None, deadline: Deadline | None = None) -> None:
        self._own = not isinstance(limiter, AwsLimiter) and limiter is not None
        if isinstance(limiter, AwsLimiter):
            self.limiter = limiter
        elif limiter is None:
            self.limiter = default_limiter()
        else:
            self.limiter = AwsLimiter(int(limiter), name="nbjob-iam-tasks")
        self.deadline = deadline
        self.done: Future[None] = Future()
        self._lock = threading.Lock()
        self._outstanding = 1  # the group's own hold, released by seal()
        self._sealed = False
        self._closed = False
        self._failures: list[tuple[Any, BaseException]] = []

    def spawn(self, fn: Callable[..., T], *args: Any, priority: int = 0, key: Any = None, **kwargs: Any) -> Future[T]:
        """Queue ``fn(*args, **kwargs)``; returns its future. ``key`` orders errors (default: the
        function's name and arguments, so never the order in which tasks happened to be spawned)."""
        if self._closed:
            raise RuntimeError("the task group is closed")
        if key is None:
            key = (getattr(fn, "__qualname__", repr(fn)), repr(args)[:300])
        fut: Future[T] = Future()
        with self._lock:
            self._outstanding += 1

        def runner() -> None:
            try:
                if fut.set_running_or_notify_cancel():
                    try:
                        if self.deadline is not None:
                            self.deadline.check()
                        fut.set_result(fn(*args, **kwargs))
                    except BaseException as exc:
                        self._fail(key, exc)
                        fut.set_exception(exc)
            finally:
                self._release()

        try:
            self.limiter.submit(runner, priority)
        except BaseException:
            self._release()
            raise
        return fut

    def track(self, future: Future[Any], key: Any) -> None:
        """Count a future of another group (a shared cache entry) as this group's work."""
        with self._lock:
            self._outstanding += 1

        def finished(f: Future[Any]) -> None:
            try:
                exc = f.exception() if not f.cancelled() else None
                if exc is not None:
                    self._fail(key, exc)
            finally:
                self._release()

        future.add_done_callback(finished)

    def _fail(self, key: Any, exc: BaseException) -> None:
        with self._lock:
            self._failures.append((key, exc))

    def _release(self) -> None:
        with self._lock:
            self._outstanding -= 1
            finished = self._outstanding == 0
        if finished and not self.done.done():
            self.done.set_result(None)

    def seal(self) -> None:
        """No more tasks from outside the group: ``done`` resolves once the spawned ones finish."""
        with self._lock:
            if self._sealed:
                return
            self._sealed = True
        self._release()

    def error(self) -> BaseException | None:
        with self._lock:
            return pick_error(list(self._failures))

    def wait(self) -> None:
        """Seal, wait until every task finished (at most until the deadline), then raise the error
        ``pick_error`` chooses, if any task failed."""
        self.seal()
        if self.deadline is not None:
            self.deadline.wait(self.done)
        else:
            self.done.result()
        exc = self.error()
        if exc is not None:
            raise exc

    def close(self) -> None:
        self._closed = True
        if self._own:
            self.limiter._pool.shutdown(wait=True)

    def __enter__(self) -> TaskGroup:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class Pending(Generic[T]):
    """Work running on the pool: ``future`` resolves when all of it is done; ``result()`` (for the
    thread that waits, never a pool thread) assembles the answer or raises the work's error."""

    def __init__(self, future: Future[Any], finish: Callable[[], T]) -> None:
        self.future = future
        self._finish = finish

    @classmethod
    def of(cls, future: Future[T]) -> Pending[T]:
        return cls(future, future.result)

    def result(self) -> T:
        return self._finish()

    def wait(self, deadline: Deadline | None = None) -> T:
        if deadline is not None:
            deadline.wait(self.future)
        else:
            _wait_done(self.future, None)
        return self.result()


def chain(first: Pending[Any], then: Callable[[Any], Pending[T]]) -> Pending[T]:
    """``then(first's result)`` once ``first`` is done; ``then`` must only start work (it runs on the
    thread that finished ``first``). The chain fails with ``first``'s error if it has one."""
    done: Future[None] = Future()
    state: dict[str, Any] = {}

    def on_first(_: Future[Any]) -> None:
        try:
            state["next"] = then(first.result())
        except BaseException as exc:
            state["error"] = exc
            done.set_result(None)
            return
        state["next"].future.add_done_callback(lambda _: done.set_result(None))

    first.future.add_done_callback(on_first)

    def finish() -> T:
        if "error" in state:
            raise state["error"]
        return state["next"].result()

    return Pending(done, finish)
