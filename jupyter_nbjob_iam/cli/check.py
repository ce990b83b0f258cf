"""``jupyter nbjob-iam check``: which IAM permissions for SageMaker notebook jobs are missing.

Exit codes: 0 every required statement is in place, 1 gaps were found, 2 error (``cli.main`` prints
the one-line reason). ``--json`` prints exactly the report of ``POST /nbjob-iam/check``.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..constants import ENGINES
from . import EXIT_GAPS, EXIT_OK, add_input_flags, check_params


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check the IAM permissions SageMaker notebook jobs need (exit 0 ok, 1 gaps, 2 error)",
        description="Check your AWS identity and the notebook jobs' execution role against the AWS guide's "
        "policies, statement by statement. Exit 0 when all is in place, 1 when something is missing, "
        "2 on error.",
    )
    parser.add_argument("--profile", help="AWS profile (default: AWS_PROFILE, else the default profile)")
    parser.add_argument("--region", help="AWS region (default: the scheduler's: AWS_REGION, the profile's, ...)")
    parser.add_argument(
        "--role",
        metavar="NAME_OR_ARN",
        help="the execution role (default: the scheduler's saved default, else the first role named "
        "SagemakerJupyterScheduler*)",
    )
    add_input_flags(parser)
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="auto",
        help="auto (default: AWS's policy simulator, else local evaluation), local or simulator",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from ..aws import AwsSession
    from ..check import run_check
    from .render import render_report, use_color

    params = check_params(args)
    session = AwsSession(profile=params.profile, region=params.region)
    report = run_check(session, **params.check_inputs())
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        sys.stdout.write(render_report(report, color=use_color(sys.stdout)))
    sys.stdout.flush()
    return EXIT_OK if report.ok else EXIT_GAPS
