"""``jupyter nbjob-iam undo BACKUP_ID``: put back the documents one fix replaced.

Exit codes: 0 restored; 1 the person said no; 2 an error (unknown, damaged or mismatched backup, a
document changed since the fix: nothing is overwritten, a refused call, an undo that stopped part-way:
run it again to resume). What it shows and reverts comes from the plan the fix applied, never from the
backup file's own text.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..errors import NbJobIamError
from . import EXIT_ERROR, EXIT_GAPS, EXIT_OK
from .fix import add_store_flag, confirm, store_of

UNDO_HELP = "restore the IAM documents a fix replaced (its backup id is printed after the fix)"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("undo", help=UNDO_HELP, description=UNDO_HELP[0].upper() + UNDO_HELP[1:] + ".")
    parser.add_argument("backup_id", metavar="BACKUP_ID")
    parser.add_argument("--profile", help="AWS profile (default: the one the fix used)")
    parser.add_argument("--region", help="AWS region (default: the one the fix used)")
    parser.add_argument("--yes", action="store_true", help="undo without asking (needed when not on a terminal)")
    parser.add_argument("--json", action="store_true", help="print the undo result as JSON (docs/API.md)")
    add_store_flag(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..aws import AwsSession
    from ..fix import undo
    from ..fix.undo import bound_plan, undo_preview

    store = store_of(args)
    backup_id = store.check_backup_id(args.backup_id)
    plan = bound_plan(store, store.load_backup(backup_id))
    landed = undo_preview(store, backup_id)
    if not args.json:
        print(f"Undo the fix {backup_id} ({len(landed)} changes):")
        for item in landed:
            print(f"  - revert {item['write_id']}: {item['summary']}")
    if not args.yes and not sys.stdin.isatty():
        print("error: not on a terminal: use --yes to undo without asking", file=sys.stderr)
        return EXIT_ERROR
    if not args.yes and not confirm("Undo these changes?"):
        print("Nothing was changed.", file=sys.stderr)
        return EXIT_GAPS
    session = AwsSession(args.profile or plan.get("profile"), args.region or plan.get("region"))
    try:
        result = undo(session, backup_id, store=store)
    except NbJobIamError as exc:
        if "not_restored" in exc.details and not args.json:  # stopped part-way: say what was and was not
            for item in exc.details["restored"]:
                print(f"  done    {item['api_call']}: {item['summary']}")
            for item in exc.details["not_restored"]:
                print(f"  NOT REVERTED {item['write_id']}: {item['summary']}")
            print("Run the same undo again to resume once the cause is fixed.")
        raise
    if args.json:
        print(json.dumps(result, indent=2))
        return EXIT_OK
    for item in result["restored"]:
        print(f"  done    {item['api_call']}: {item['summary']}")
    report = result.get("report")
    if report is not None:
        state = "all ok" if report.get("ok") else "gaps found (as before the fix)"
        print(f"Check after the undo: {state}.")
    return EXIT_OK
