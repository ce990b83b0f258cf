"""The task group behind the concurrent reads: follow-ups, priorities, errors."""

from __future__ import annotations

import threading

import pytest

from jupyter_nbjob_iam.aws._tasks import TaskGroup


def test_spawned_follow_ups_are_waited_for():
    seen = []
    lock = threading.Lock()
    with TaskGroup(4) as tasks:

        def leaf(i):
            with lock:
                seen.append(i)

        def parent():
            for i in range(10):
                tasks.spawn(leaf, i)

        tasks.spawn(parent)
        tasks.wait()
    assert sorted(seen) == list(range(10))


def test_lower_priority_number_runs_first():
    order = []
    gate = threading.Event()
    with TaskGroup(1) as tasks:
        tasks.spawn(gate.wait)  # occupy the only worker while the queue fills
        tasks.spawn(order.append, "leaf-1", priority=1)
        tasks.spawn(order.append, "leaf-2", priority=1)
        tasks.spawn(order.append, "list", priority=0)
        gate.set()
        tasks.wait()
    assert order == ["list", "leaf-1", "leaf-2"]


def test_first_error_in_spawn_order_is_raised_after_all_finished():
    done = []

    def fail(msg):
        raise ValueError(msg)

    with TaskGroup(2) as tasks:
        tasks.spawn(fail, "first")
        tasks.spawn(fail, "second")
        tasks.spawn(done.append, "ok")
        with pytest.raises(ValueError, match="first"):
            tasks.wait()
    assert done == ["ok"]


def test_spawn_after_close_is_refused_cleanly():
    tasks = TaskGroup(1)
    tasks.close()
    with pytest.raises(RuntimeError):
        tasks.spawn(print)
    tasks.wait()  # nothing outstanding: returns at once
