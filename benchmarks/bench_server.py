"""The server under slow AWS and large bodies: numbers, not a timed test.

    .venv/bin/python benchmarks/bench_server.py [--repo PATH] [--checks 16] [--latency 0.05]

Runs a real Jupyter server (a subprocess, from the checkout ``--repo``, by default this one, so the
same script measures an older checkout for a before/after) with the extension, and measures:

1. AWS that never answers (a local socket that accepts and reads, and never replies): with
   ``--checks`` checks in flight, the latency of ``GET /api/status`` and ``GET /nbjob-iam/context``
   (p50, p99, max over ``--samples`` requests each).
2. A 5 MB body to ``POST /nbjob-iam/check``: the time to its 4xx, and the latency of
   ``GET /api/status`` while such bodies keep arriving.
3. moto behind a proxy adding ``--latency`` per request (``bench_check.LatencyProxy``): the wall time
   of one check (best and median of ``--repeat``), of ``--checks`` concurrent checks, and the most
   threads the server process held meanwhile (``/proc/<pid>/status``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_check import LatencyProxy, _environment, _free_port, _seed, moto_server  # noqa: E402

TOKEN = "bench-token"
CHECK_BODY = json.dumps({"role_arn": "SagemakerJupyterSchedulerRole", "engine": "local"})


class Silent:
    """Accepts connections, reads what arrives, never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(512)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drain, args=(conn,), daemon=True).start()

    @staticmethod
    def _drain(conn: socket.socket) -> None:
        try:
            while conn.recv(65536):
                pass
        except OSError:
            pass


class Server:
    """``python -m jupyter_server`` from ``repo`` with the extension, on a free port."""

    def __init__(self, repo: Path, env: dict[str, str]) -> None:
        self.port = _free_port()
        tmp = Path(tempfile.mkdtemp(prefix="bench-server-"))
        (tmp / "root").mkdir()
        self.log = tmp / "server.log"
        config = tmp / "jupyter_server_config.py"
        config.write_text(
            "c.ServerApp.jpserver_extensions = {'jupyter_nbjob_iam': True}\n"
            f"c.ServerApp.root_dir = {str(tmp / 'root')!r}\n"
            "c.ServerApp.open_browser = False\nc.ServerApp.allow_root = True\n"
            f"c.IdentityProvider.token = {TOKEN!r}\n"
            f"c.NbJobIamService.state_dir = {str(tmp / 'state')!r}\n"
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyter_server", f"--config={config}", f"--port={self.port}", "--ip=127.0.0.1"],
            cwd=repo,
            env={**os.environ, **env, "JUPYTER_CONFIG_DIR": str(tmp), "JUPYTER_DATA_DIR": str(tmp / "data")},
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("wb"),
        )
        for _ in range(300):
            if request(self.port, "GET", "/api/status", timeout=1)[0] == 200:
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"the Jupyter server did not start (log: {self.log})")

    def threads(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                return int(line.split()[1])
        return 0

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)


def request(port: int, method: str, path: str, body: bytes | None = None, timeout: float = 120) -> tuple[int, float]:
    """``(status, seconds)`` of one request on a fresh connection (0 for a timeout)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"Authorization": f"token {TOKEN}"})
        status = conn.getresponse().status
    except TimeoutError:
        status = 0
    except (OSError, http.client.HTTPException):
        status = -1
    finally:
        conn.close()
    return status, time.perf_counter() - started


def stats(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):7.1f} ms  p99 {p99:7.1f} ms  max {ms[-1]:7.1f} ms  (n={len(ms)})"


def in_flight(port: int, n: int, body: str = CHECK_BODY) -> list[threading.Thread]:
    results: list[tuple[int, float]] = []

    def one() -> None:
        results.append(request(port, "POST", "/nbjob-iam/check", body.encode(), timeout=200))

    threads = [threading.Thread(target=one, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    threads[0].results = results  # type: ignore[attr-defined]
    return threads


def sample(port: int, path: str, n: int, timeout: float, budget: float = 40.0) -> list[float]:
    """Up to ``n`` timed GETs, one after the other, for at most ``budget`` seconds; a request that
    times out counts as ``timeout``."""
    out: list[float] = []
    end = time.monotonic() + budget
    for _ in range(n):
        if time.monotonic() > end:
            break
        status, seconds = request(port, "GET", path, timeout=timeout)
        out.append(seconds if status == 200 else max(seconds, timeout))
        time.sleep(0.01)
    return out


def silent_aws(args: argparse.Namespace, env: dict[str, str]) -> None:
    silent = Silent()
    server = Server(args.repo, {**env, "AWS_ENDPOINT_URL": silent.url})
    try:
        print(f"\n1. AWS never answers, {args.checks} checks in flight")
        in_flight(server.port, args.checks)
        time.sleep(1.0)
        for path in ("/api/status", "/nbjob-iam/context"):
            print(f"   GET {path:<20} {stats(sample(server.port, path, args.samples, timeout=10))}")
        print(f"   threads held by the server process: {server.threads()}")
    finally:
        server.close()


def big_bodies(args: argparse.Namespace, env: dict[str, str]) -> None:
    server = Server(args.repo, env)
    try:
        body = b"[" * (5 * 1024 * 1024)
        print("\n2. 5 MB bodies to POST /nbjob-iam/check")
        for size, payload in (("17 KB", b"[" * (17 * 1024)), ("5 MB", body)):
            answers = [request(server.port, "POST", "/nbjob-iam/check", payload) for _ in range(args.repeat * 4)]
            codes = sorted({c for c, _ in answers})
            print(f"   {size:>5} body: time to the answer {codes} {stats([s for _, s in answers])}")
        stop = threading.Event()

        def flood() -> None:
            while not stop.is_set():
                request(server.port, "POST", "/nbjob-iam/check", body)

        floods = [threading.Thread(target=flood, daemon=True) for _ in range(2)]
        for t in floods:
            t.start()
        print(
            f"   GET /api/status while 2 clients keep posting them {stats(sample(server.port, '/api/status', 100, 10))}"
        )
        stop.set()
        for t in floods:
            t.join(timeout=30)
    finally:
        server.close()


def moto_checks(args: argparse.Namespace, env: dict[str, str], proxy: LatencyProxy) -> None:
    server = Server(args.repo, {**env, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{proxy.port}"})
    try:
        print(f"\n3. moto behind a {args.latency * 1000:.0f} ms proxy (user with 1 attached policy in 5 groups + role)")
        walls = []
        for _ in range(args.repeat):
            status, seconds = request(server.port, "POST", "/nbjob-iam/check", CHECK_BODY.encode())
            assert status == 200, status
            walls.append(seconds)
        print(f"   one check: best {min(walls):.2f} s, median {statistics.median(walls):.2f} s")
        peak = [server.threads()]
        stop = threading.Event()

        def watch() -> None:
            while not stop.is_set():
                peak.append(server.threads())
                time.sleep(0.01)

        threading.Thread(target=watch, daemon=True).start()
        started = time.perf_counter()
        threads = in_flight(server.port, args.checks)
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        stop.set()
        results = threads[0].results  # type: ignore[attr-defined]
        codes = sorted({c for c, _ in results})
        print(
            f"   {args.checks} concurrent checks ({codes}): all done in {wall:.2f} s; each "
            f"{stats([s for _, s in results])}"
        )
        print(f"   threads held by the server process: before {peak[0]}, peak {max(peak)}")
    finally:
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--checks", type=int, default=16)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"server from {args.repo}")

    with moto_server() as port:
        _environment(f"http://127.0.0.1:{port}")
        import boto3

        _, users = _seed(boto3.client("iam"))
        keys = users[1]
        env = {k: v for k, v in os.environ.items() if k.startswith("AWS_") or k == "JUPYTERLAB_SETTINGS_DIR"} | {
            "AWS_ACCESS_KEY_ID": keys["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": keys["SecretAccessKey"],
        }
        proxy = LatencyProxy(("127.0.0.1", port), args.latency)
        try:
            silent_aws(args, env)
            big_bodies(args, env)
            moto_checks(args, env, proxy)
        finally:
            proxy.close()


if __name__ == "__main__":
    main()
