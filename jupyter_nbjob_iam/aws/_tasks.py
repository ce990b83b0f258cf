"""A tiny task group over a thread pool: tasks may spawn follow-up tasks without waiting on them.

Reading a principal's policies is a small dependency graph (list the attachments, then fetch each
document). Running each follow-up as soon as its input is known, instead of phase by phase, keeps
the wall time at the longest chain of round trips, whatever the number of policies. No task ever
blocks on another task, so a bounded pool cannot deadlock.

Tasks carry a priority (lower runs first): tasks that discover more work (the list calls) go ahead
of leaf fetches, so a long chain is never stuck in the queue behind twenty independent fetches.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_MAX_WORKERS = 16


class TaskGroup:
    def __init__(self, max_workers: int = DEFAULT_MAX_WORKERS, name: str = "nbjob-iam-aws") -> None:
        self._pool = ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix=name)
        self._cond = threading.Condition()
        self._outstanding = 0
        self._futures: list[Future[Any]] = []
        self._heap: list[tuple[int, int, Callable[..., Any], tuple[Any, ...], dict[str, Any], Future[Any]]] = []
        self._seq = itertools.count()

    def spawn(self, fn: Callable[..., T], *args: Any, priority: int = 0, **kwargs: Any) -> Future[T]:
        """Queue ``fn(*args, **kwargs)``; returns its future. Lower ``priority`` runs first."""
        fut: Future[T] = Future()
        entry = (priority, next(self._seq), fn, args, kwargs, fut)
        with self._cond:
            self._outstanding += 1
            self._futures.append(fut)
            heapq.heappush(self._heap, entry)
        try:
            # One runner per task; each runner takes the most urgent task queued when it starts.
            self._pool.submit(self._run_next)
        except BaseException:  # the pool is shut down: take the task back
            with self._cond:
                self._heap.remove(entry)
                heapq.heapify(self._heap)
                self._futures.remove(fut)
                self._outstanding -= 1
                self._cond.notify_all()
            raise
        return fut

    def _run_next(self) -> None:
        with self._cond:
            _, _, fn, args, kwargs, fut = heapq.heappop(self._heap)
        try:
            if fut.set_running_or_notify_cancel():
                try:
                    fut.set_result(fn(*args, **kwargs))
                except BaseException as exc:
                    fut.set_exception(exc)
        finally:
            with self._cond:
                self._outstanding -= 1
                self._cond.notify_all()

    def wait(self) -> None:
        """Wait until every task (and every task they spawned) finished; re-raise the first error
        in spawn order."""
        with self._cond:
            while self._outstanding:
                self._cond.wait()
            futures = list(self._futures)
        for fut in futures:
            exc = fut.exception()
            if exc is not None:
                raise exc

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def __enter__(self) -> TaskGroup:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
