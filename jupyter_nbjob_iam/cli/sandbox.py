"""``jupyter nbjob-iam sandbox``: listed here for the help; ``cli.main`` hands its arguments to
``sandbox.server.main_sandbox``, which owns the sandbox's options."""

from __future__ import annotations


def register(subparsers) -> None:
    subparsers.add_parser(
        "sandbox",
        help="start a local fake AWS account seeded with a notebook-job demo (see `sandbox --help`)",
        add_help=False,
    )
