"""Counts the AWS calls a piece of code makes (botocore events), for tests and benchmarks."""

from __future__ import annotations

import collections
import threading
import time
from typing import Any


class CallCounter:
    """Counts API calls per operation on a client (botocore ``before-call`` events) and the most
    calls in flight at once; ``delay`` adds latency to each call, like a distant endpoint."""

    def __init__(self, delay: float = 0.0) -> None:
        self.calls: collections.Counter[str] = collections.Counter()
        self.params: list[tuple[str, dict[str, Any]]] = []
        self.delay = delay
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()

    def record_params(self, model: Any, params: Any, **_: Any) -> None:
        with self._lock:
            self.params.append((model.name, dict(params)))

    def before(self, model: Any, **_: Any) -> None:
        with self._lock:
            self.calls[model.name] += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        if self.delay:
            time.sleep(self.delay)

    def after(self, **_: Any) -> None:
        with self._lock:
            self.in_flight -= 1

    def attach(self, client: Any) -> CallCounter:
        service = client.meta.service_model.service_id.hyphenize()
        client.meta.events.register(f"before-parameter-build.{service}", self.record_params)
        client.meta.events.register(f"before-call.{service}", self.before)
        client.meta.events.register(f"after-call.{service}", self.after)
        client.meta.events.register(f"after-call-error.{service}", self.after)
        return self

    @property
    def total(self) -> int:
        return sum(self.calls.values())
