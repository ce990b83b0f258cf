"""How long reading a principal's policies takes with 50 ms per AWS call, concurrent vs one at a time.

    .venv/bin/python benchmarks/bench_check_aws.py [--latency 0.05]

Starts moto's HTTP server on 127.0.0.1 in its own process (so its CPU does not compete with the
client's threads for the GIL), seeds users with 1, 10 and 20 attached managed policies and
5 groups (each with one inline and two attached policies, one shared by all groups), then runs
``get_identity`` + ``read_policies`` with the default pool and with one worker. Latency is added on
the client side (a botocore ``before-call`` hook sleeping ``--latency`` seconds per call), which is
what a distant endpoint costs the caller. "Round trips" = wall time / latency.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def _policy(action: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--workers", type=int, nargs="+", default=[8, 16])
    args = parser.parse_args()

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        host, port = probe.getsockname()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", host, "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://{host}:{port}/moto-api/data.json", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    try:
        run(args, host, port)
    finally:
        server.terminate()
        server.wait(timeout=10)


def run(args: argparse.Namespace, host: str, port: int) -> None:
    tmp = tempfile.mkdtemp()
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ.update(
        AWS_ENDPOINT_URL=f"http://{host}:{port}",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE",
        AWS_SECRET_ACCESS_KEY="bench-only-not-a-secret",
        AWS_CONFIG_FILE=os.path.join(tmp, "config"),
        AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "credentials"),
    )
    import boto3

    from jupyter_nbjob_iam.aws import AwsSession, get_identity, read_policies

    iam = boto3.client("iam")
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

    print(f"latency {args.latency * 1000:.0f} ms per call")
    modes = [*args.workers, 1]
    print(f"{'attached':>8} {'calls':>6} " + " ".join(f"{f'{w} worker(s)':>22}" for w in modes))
    for n in (1, 10, 20):
        user = f"user{n}"
        iam.create_user(UserName=user)
        for g in groups:
            iam.add_user_to_group(GroupName=g, UserName=user)
        for i in range(n):
            arn = iam.create_policy(PolicyName=f"{user}-p{i}", PolicyDocument=_policy("sagemaker:Search"))
            iam.attach_user_policy(UserName=user, PolicyArn=arn["Policy"]["Arn"])
        keys = iam.create_access_key(UserName=user)["AccessKey"]
        os.environ["AWS_ACCESS_KEY_ID"] = keys["AccessKeyId"]
        os.environ["AWS_SECRET_ACCESS_KEY"] = keys["SecretAccessKey"]
        row = []
        for workers in modes:
            sess = AwsSession()
            count = [0]
            lock = threading.Lock()

            def slow(count=count, lock=lock, **_):
                with lock:
                    count[0] += 1
                time.sleep(args.latency)

            for service in ("iam", "sts"):
                sess.client(service).meta.events.register(f"before-call.{service}", slow)
            start = time.monotonic()
            ident = get_identity(sess)
            read_policies(sess, "user", ident.principal_name, max_workers=workers)
            wall = time.monotonic() - start
            row.append((count[0], wall))
        os.environ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE"
        os.environ["AWS_SECRET_ACCESS_KEY"] = "bench-only-not-a-secret"
        cells = " ".join(f"{f'{wall:.2f} s = {wall / args.latency:.1f} RT':>22}" for _, wall in row)
        print(f"{n:>8} {row[0][0]:>6} {cells}")


if __name__ == "__main__":
    main()
