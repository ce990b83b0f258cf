"""``jupyter nbjob-iam check``: which IAM permissions for SageMaker notebook jobs are missing.

Exit codes: 0 every required statement is in place, 1 gaps were found, 2 error (``cli.main`` prints
the one-line reason). ``--json`` prints exactly the report of ``POST /nbjob-iam/check``.
"""

from __future__ import annotations

import argparse
import json
import sys

from . import EXIT_GAPS, EXIT_OK

# check.ENGINES, repeated so that building the parser does not import boto3 (tests keep them equal).
ENGINES = ("auto", "local", "simulator")


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
    parser.add_argument(
        "--output-kms-key",
        metavar="KEY",
        help="the job output's KMS key: key ARN, key id, alias name or alias ARN (default: the scheduler's saved "
        "sm_output_kms_key)",
    )
    parser.add_argument(
        "--volume-kms-key",
        metavar="KEY",
        help="the job instance volume's KMS key, in any of those forms (default: the saved sm_volume_kms_key)",
    )
    parser.add_argument("--kms-key-arn", metavar="ARN", help="the output KMS key as an ARN (same as --output-kms-key)")
    parser.add_argument(
        "--s3-input",
        metavar="S3_URI",
        help="the scheduler's input folder, s3://bucket[/prefix] (default: its saved s3_input, else its own bucket)",
    )
    parser.add_argument(
        "--s3-output",
        metavar="S3_URI",
        help="the scheduler's output folder, s3://bucket[/prefix] (default: its saved s3_output, else its own bucket)",
    )
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

    session = AwsSession(profile=args.profile, region=args.region)
    report = run_check(
        session,
        role=args.role,
        kms_key_arn=args.kms_key_arn,
        engine=args.engine,
        output_kms_key=args.output_kms_key,
        volume_kms_key=args.volume_kms_key,
        s3_input=args.s3_input,
        s3_output=args.s3_output,
    )
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        sys.stdout.write(render_report(report, color=use_color(sys.stdout)))
    sys.stdout.flush()
    return EXIT_OK if report.ok else EXIT_GAPS
