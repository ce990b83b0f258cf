"""A full permission check (identity + role + trust) with 50 ms per AWS request, concurrent vs one
call at a time.

    .venv/bin/python benchmarks/bench_check.py [--latency 0.05] [--workers 16 32]

Starts moto's HTTP server in its own process behind a TCP proxy on 127.0.0.1, in a process of its own
too (so neither competes with the checker's threads for the GIL), that holds each HTTP request for
``--latency`` seconds before passing it on: what a distant AWS endpoint costs. Seeds users with 1, 10 and 20 attached
managed policies, each in 5 groups (every group with one inline and two attached policies, one of them
shared by all groups), and an execution role with the guide's policy inline and two attached policies
(one shared with the users), then runs ``check(engine="local")`` (moto has no policy simulator) with
each ``--workers`` value and with ``max_workers=1``. AWS calls are counted with a botocore
``before-call`` hook (and by the proxy); "round trips" = wall time / latency, and "chain" = the
longest run of calls each starting after the previous ended (the sequential round trips the check
waited for). moto serves one request at a time in ~5 ms of CPU (and closes each connection), which a
real endpoint does not: the "0 ms added" column shows that cost, included in every wall time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator

_REQUEST_LINE = re.compile(rb"^[A-Z]+ \S+ HTTP/1\.[01]\r\n")


class LatencyProxy:
    """Forwards TCP connections from 127.0.0.1:<port> to ``upstream``, holding each HTTP request for
    ``delay`` seconds. Runs in its own process (its threads would otherwise compete with the
    checker's for the GIL); ``requests`` counts the requests it passed on."""

    def __init__(self, upstream: tuple[str, int], delay: float) -> None:
        self._count = multiprocessing.Value("i", 0)
        ready = multiprocessing.Queue()
        self._process = multiprocessing.Process(
            target=_serve_proxy, args=(upstream, delay, self._count, ready), daemon=True
        )
        self._process.start()
        self.port: int = ready.get(timeout=30)

    @property
    def requests(self) -> int:
        return self._count.value

    def close(self) -> None:
        self._process.terminate()
        self._process.join(timeout=10)


def _serve_proxy(upstream: tuple[str, int], delay: float, count, ready) -> None:
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(256)
    ready.put(listener.getsockname()[1])

    def pump(src: socket.socket, dst: socket.socket, requests: bool) -> None:
        try:
            while data := src.recv(65536):
                if requests and _REQUEST_LINE.match(data):  # the start of a request (no pipelining)
                    with count.get_lock():
                        count.value += 1
                    time.sleep(delay)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    while True:
        client, _ = listener.accept()
        server = socket.create_connection(upstream)
        for sock in (client, server):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=pump, args=(client, server, True), daemon=True).start()
        threading.Thread(target=pump, args=(server, client, False), daemon=True).start()


def _policy(*actions: str) -> str:
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]}
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--workers", type=int, nargs="+", default=[16, 32], help="the last is the baseline's")
    parser.add_argument("--repeat", type=int, default=3, help="runs per cell; the best is shown")
    args = parser.parse_args()

    with moto_server() as port:
        proxy = LatencyProxy(("127.0.0.1", port), args.latency)
        direct = LatencyProxy(("127.0.0.1", port), 0.0)
        try:
            run(args, port, proxy, direct)
        finally:
            proxy.close()
            direct.close()


@contextlib.contextmanager
def moto_server() -> Iterator[int]:
    """moto's HTTP server in a process of its own on a free loopback port; yields the port."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/data.json", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _environment(endpoint: str) -> None:
    tmp = tempfile.mkdtemp()
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE",
        AWS_SECRET_ACCESS_KEY="bench-only-not-a-secret",
        AWS_CONFIG_FILE=os.path.join(tmp, "config"),
        AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "credentials"),
        JUPYTERLAB_SETTINGS_DIR=tmp,
    )


def _seed(iam) -> tuple[list[str], dict[int, dict[str, str]]]:
    from jupyter_nbjob_iam.catalog import guide_policy

    shared = iam.create_policy(PolicyName="Shared", PolicyDocument=_policy("s3:GetObject"))["Policy"]["Arn"]
    groups = []
    for g in range(5):
        name = f"group{g}"
        iam.create_group(GroupName=name)
        iam.put_group_policy(GroupName=name, PolicyName="inline", PolicyDocument=_policy("s3:ListBucket"))
        iam.attach_group_policy(GroupName=name, PolicyArn=shared)
        own = iam.create_policy(PolicyName=f"G{g}", PolicyDocument=_policy("events:PutRule"))["Policy"]["Arn"]
        iam.attach_group_policy(GroupName=name, PolicyArn=own)
        groups.append(name)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": ["sagemaker.amazonaws.com", "events.amazonaws.com"]},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    iam.create_role(
        RoleName="SagemakerJupyterSchedulerRole", Path="/service-role/", AssumeRolePolicyDocument=json.dumps(trust)
    )
    iam.put_role_policy(
        RoleName="SagemakerJupyterSchedulerRole", PolicyName="Guide", PolicyDocument=json.dumps(guide_policy("role"))
    )
    own = iam.create_policy(PolicyName="RoleOwn", PolicyDocument=_policy("ecr:*"))["Policy"]["Arn"]
    for arn in (shared, own):
        iam.attach_role_policy(RoleName="SagemakerJupyterSchedulerRole", PolicyArn=arn)

    users: dict[int, dict[str, str]] = {}
    for n in (1, 10, 20):
        user = f"user{n}"
        iam.create_user(UserName=user, Path="/notebook-users/")
        iam.put_user_policy(UserName=user, PolicyName="Guide", PolicyDocument=json.dumps(guide_policy("identity")))
        for g in groups:
            iam.add_user_to_group(GroupName=g, UserName=user)
        for i in range(n):
            arn = iam.create_policy(PolicyName=f"{user}-p{i}", PolicyDocument=_policy("sagemaker:Search"))["Policy"][
                "Arn"
            ]
            iam.attach_user_policy(UserName=user, PolicyArn=arn)
        users[n] = iam.create_access_key(UserName=user)["AccessKey"]
    return groups, users


def _chain(spans: list[tuple[float, float]]) -> int:
    """The longest run of calls each starting after the previous one ended: the sequential round
    trips the check really waited for (whatever the server's own speed)."""
    best: list[int] = []
    ordered = sorted(spans, key=lambda s: s[1])
    for i, (start, _) in enumerate(ordered):
        before = [best[j] for j in range(i) if ordered[j][1] <= start]
        best.append(1 + max(before, default=0))
    return max(best, default=0)


def _measure(proxy: LatencyProxy, workers: int, repeat: int) -> tuple[int, int, float, int]:
    """(AWS calls by the hook, requests through the proxy, best wall time, its chain of sequential
    calls) of a full local check."""
    from jupyter_nbjob_iam.aws import AwsSession
    from jupyter_nbjob_iam.check import check

    best = None
    for _ in range(repeat):
        sess = AwsSession()
        spans: list[tuple[float, float]] = []
        lock = threading.Lock()
        local = threading.local()

        def started(local=local, **_):
            local.start = time.monotonic()

        def ended(spans=spans, lock=lock, local=local, **_):
            with lock:
                spans.append((local.start, time.monotonic()))

        for service in ("iam", "sts"):
            events = sess.client(service).meta.events
            events.register(f"before-call.{service}", started)
            events.register(f"after-call.{service}", ended)
            events.register(f"after-call-error.{service}", ended)
        before = proxy.requests
        start = time.monotonic()
        report = check(sess, role="SagemakerJupyterSchedulerRole", engine="local", max_workers=workers, policy_cache={})
        wall = time.monotonic() - start
        assert report.ok, report.statuses()
        assert [t.target for t in report.targets] == ["identity", "trust", "role"]
        cell = (len(spans), proxy.requests - before, wall, _chain(spans))
        if best is None or wall < best[2]:
            best = cell
    assert best is not None
    return best


def run(args: argparse.Namespace, port: int, proxy: LatencyProxy, direct: LatencyProxy) -> None:
    _environment(f"http://127.0.0.1:{port}")
    import boto3

    _, users = _seed(boto3.client("iam"))  # directly, not through the proxy

    modes = [*args.workers, 1]
    latency_ms = args.latency * 1000
    print(f"full check (identity + role + trust), local engine, {latency_ms:.0f} ms per request, best of {args.repeat}")
    header = f"{'attached':>8} {'groups':>6} {'calls':>6} {'0 ms added':>11} " + " ".join(
        f"{('one at a time' if w == 1 else f'max_workers={w}'):>30}" for w in modes
    )
    print(header)
    print("-" * len(header))
    for n, keys in users.items():
        os.environ["AWS_ACCESS_KEY_ID"] = keys["AccessKeyId"]
        os.environ["AWS_SECRET_ACCESS_KEY"] = keys["SecretAccessKey"]
        os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{direct.port}"
        baseline = _measure(direct, args.workers[-1], args.repeat)[2]
        os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{proxy.port}"
        cells = [_measure(proxy, w, args.repeat) for w in modes]
        calls = {c for c, _, _, _ in cells}
        proxied = {p for _, p, _, _ in cells}
        assert len(calls) == 1 and calls == proxied, (calls, proxied)  # same calls, all through the proxy
        text = " ".join(
            f"{f'{wall:.2f} s = {wall / args.latency:.1f} RT (chain {chain})':>30}" for _, _, wall, chain in cells
        )
        print(f"{n:>8} {5:>6} {cells[0][0]:>6} {f'{baseline:.2f} s':>11} {text}")
    print(
        "0 ms added = the same check through a proxy adding nothing (moto's and the client's own time);\n"
        "RT = wall time / latency; chain = the longest run of calls each starting after the previous ended "
        "(sequential round trips);\ncalls counted by a botocore before-call hook and, equal, by the proxy"
    )


if __name__ == "__main__":
    main()
