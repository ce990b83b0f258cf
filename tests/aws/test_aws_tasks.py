"""The task group behind the concurrent reads: follow-ups, priorities, errors; the limiter; deadlines."""

from __future__ import annotations

import threading
import time

import pytest

from jupyter_nbjob_iam.aws._tasks import AwsLimiter, Deadline, TaskGroup
from jupyter_nbjob_iam.errors import AccessDeniedError, DeadlineError, EndpointError, InputError, NotFoundError


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


def test_errors_of_one_kind_are_picked_by_key_after_all_finished():
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


@pytest.mark.parametrize("first", ["not-found", "unreachable"])
def test_the_error_picked_does_not_depend_on_which_task_fails_first(first):
    # Given two tasks failing for different reasons, released in one order or the other
    gates = {"not-found": threading.Event(), "unreachable": threading.Event()}
    errors = {"not-found": NotFoundError("no such role"), "unreachable": EndpointError("timed out")}

    def fail(name):
        gates[name].wait(5)
        raise errors[name]

    with TaskGroup(2) as tasks:
        tasks.spawn(fail, "not-found")
        tasks.spawn(fail, "unreachable")
        gates[first].set()
        time.sleep(0.1)
        for gate in gates.values():
            gate.set()
        # Then the more fundamental one (not found) is raised either way
        with pytest.raises(NotFoundError):
            tasks.wait()


def test_error_precedence_puts_input_first_and_deadline_last():
    from jupyter_nbjob_iam.aws._tasks import pick_error

    found = [(0, DeadlineError("late")), (1, AccessDeniedError("no")), (2, InputError("bad")), (3, EndpointError("x"))]
    assert isinstance(pick_error(found), InputError)
    assert isinstance(pick_error(found[:2]), AccessDeniedError)
    assert pick_error([]) is None


def test_the_limiter_never_lets_more_calls_in_than_its_slots():
    # Given a limiter of 3 and 12 tasks that each hold a slot for a moment
    limiter = AwsLimiter(3)
    with TaskGroup(limiter) as tasks:
        for _ in range(12):
            tasks.spawn(lambda: _hold(limiter))
        tasks.wait()
    # Then at most 3 were ever in flight, and 3 were
    assert limiter.peak == 3
    limiter.shutdown()


def _hold(limiter: AwsLimiter) -> None:
    with limiter.slot():
        time.sleep(0.05)


def test_past_the_deadline_queued_tasks_never_run_and_waiting_stops():
    # Given one slot held by a task that hangs, and a short deadline
    limiter = AwsLimiter(1)
    deadline = Deadline(0.3, what="check")
    release = threading.Event()
    ran = []
    tasks = TaskGroup(limiter, deadline)
    tasks.spawn(release.wait, 5)
    tasks.spawn(ran.append, "late")
    # When the deadline passes, waiting raises at once, naming the step
    started = time.monotonic()
    with pytest.raises(DeadlineError) as info:
        tasks.wait()
    assert time.monotonic() - started < 2
    assert info.value.status == 504 and info.value.details["request"] == "check"
    release.set()
    tasks.done.result(timeout=5)
    # and the queued task was dropped, not run late
    assert ran == []
    limiter.shutdown()


def test_a_deadline_names_the_oldest_call_in_flight():
    deadline = Deadline(10)
    with deadline.calling("iam:GetRole"), deadline.calling("iam:ListRolePolicies"):
        assert deadline.slow_step() == "iam:GetRole"
    assert deadline.slow_step("iam:X") == "iam:X"
    deadline.cancel()
    with pytest.raises(DeadlineError):
        deadline.check("sts:GetCallerIdentity")
