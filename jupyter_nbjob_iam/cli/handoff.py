"""``jupyter nbjob-iam handoff``: what to send an administrator, as text, JSON or CloudFormation.

Runs the check and plans the fix (a preview: nothing is written) and prints the hand-off bundle:
the exact policy documents, the AWS CLI commands, a CloudFormation snippet and, for an IAM Identity
Center role, the permission-set route. Exit codes: 0 nothing to change; 1 the bundle lists changes;
2 an error.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from . import EXIT_GAPS, EXIT_OK
from .fix import add_check_flags, add_store_flag, session_and_report, store_of

HANDOFF_HELP = "print what an administrator needs to grant the missing permissions (nothing is written)"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "handoff", help=HANDOFF_HELP, description=HANDOFF_HELP[0].upper() + HANDOFF_HELP[1:] + "."
    )
    add_check_flags(parser)
    parser.add_argument("--policy-name", default=None, help="the inline policy name to use (SageMakerNotebookJobs)")
    parser.add_argument("--format", choices=("text", "json", "cloudformation"), default="text")
    add_store_flag(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..fix import DEFAULT_POLICY_NAME, make_plan

    session, report = session_and_report(args)
    policy_name = args.policy_name or DEFAULT_POLICY_NAME
    plan = make_plan(session, report, policy_name=policy_name, as_guide=args.as_guide, store=store_of(args))
    bundle = plan["handoff"]
    if args.format == "json":
        print(json.dumps(bundle, indent=2))
    elif args.format == "cloudformation":
        print(bundle["cloudformation"] or "# Nothing to change.")
    else:
        print(bundle["text"], end="")
    changes = plan["writes"] or plan["blocked"] or [s for s in plan["skipped"] if s["status"] == "denied"]
    return EXIT_GAPS if changes else EXIT_OK
