"""``jupyter nbjob-iam fix``: check, show every planned write as a diff, ask, apply, verify, report.

Exit codes: 0 everything the check counts is ok after the fix; 1 gaps remain (nothing to write for
them, or the person said no); 2 an error (a refused write, a conflict, bad input: one-line reason on
stderr, and the hand-off on stdout when a write was refused).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from typing import Any

from ..constants import DEFAULT_POLICY_NAME, ENGINES, VERIFY_TIMEOUT
from . import EXIT_ERROR, EXIT_GAPS, EXIT_OK, add_input_flags, check_params

FIX_HELP = "check, then add what SageMaker notebook jobs need (previewed, confirmed, reversible)"


def add_check_flags(parser: argparse.ArgumentParser) -> None:
    """The flags that choose what is checked (shared by fix and handoff)."""
    parser.add_argument("--profile", help="AWS profile (default: AWS_PROFILE or default)")
    parser.add_argument("--region", help="AWS region (default: as the scheduler resolves it)")
    parser.add_argument("--role", metavar="NAME_OR_ARN", help="the execution role (default: the scheduler's)")
    add_input_flags(parser)
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="auto",
        help="how the check decides: auto (AWS's policy simulator, else local evaluation), local or simulator",
    )
    parser.add_argument(
        "--as-guide",
        action="store_true",
        help="write the AWS guide's statements word for word (broader: iam:PassRole on every role) instead of "
        "statements limited to what the check verified",
    )


def add_store_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--state-dir",
        metavar="DIR",
        default=os.environ.get("NBJOB_IAM_STATE_DIR") or None,
        help="where plans and backups are kept (default: NBJOB_IAM_STATE_DIR, else Jupyter's data dir)",
    )


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("fix", help=FIX_HELP, description=FIX_HELP[0].upper() + FIX_HELP[1:] + ".")
    add_check_flags(parser)
    parser.add_argument("--policy-name", default=None, help=f"the inline policy the tool owns ({DEFAULT_POLICY_NAME})")
    parser.add_argument("--yes", action="store_true", help="apply without asking (needed when not on a terminal)")
    parser.add_argument("--json", action="store_true", help="print {plan, result} as JSON (docs/API.md)")
    parser.add_argument(
        "--verify-timeout",
        type=float,
        default=VERIFY_TIMEOUT,
        metavar="SECONDS",
        help=f"how long to re-check after ({VERIFY_TIMEOUT:g})",
    )
    add_store_flag(parser)
    parser.set_defaults(func=run)


def session_and_report(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    from ..aws import AwsSession
    from ..check import run_check

    params = check_params(args)
    session = AwsSession(params.profile, params.region)
    report = run_check(session, **params.check_inputs())
    return session, report.to_json()


def checker(args: argparse.Namespace, plan: dict[str, Any]) -> Any:
    """The re-check after the fix: the plan's role, folders and keys, with the engine of the first check."""
    from ..fix.verify import default_check_fn

    return default_check_fn(plan, engine=args.engine)


def store_of(args: argparse.Namespace) -> Any:
    from ..fix import PlanStore

    return PlanStore(args.state_dir or None)


def pretty(document: Any) -> list[str]:
    return [] if document is None else json.dumps(document, indent=2, ensure_ascii=False).splitlines()


def diff_lines(write: dict[str, Any]) -> list[str]:
    """A unified diff of the write's document, before -> after (pretty JSON)."""
    name = write.get("policy_name") or ("trust policy" if write["api_call"] == "iam:UpdateAssumeRolePolicy" else "")
    return list(
        difflib.unified_diff(
            pretty(write.get("before")),
            pretty(write.get("after")),
            fromfile=f"{name} (now)" if write.get("before") is not None else "(none)",
            tofile=f"{name} (after)" if write.get("after") is not None else "(none)",
            lineterm="",
        )
    )


def format_plan(plan: dict[str, Any]) -> str:
    out: list[str] = []
    writes = plan["writes"]
    head = f"Plan {plan['plan_id'][:12]} (account {plan.get('account')}, {plan.get('region')})"
    out.append(head)
    out.extend(mode_lines(plan.get("mode") or {}))
    if not writes:
        out.append("Nothing to write: every gap the fix can close is closed.")
    for w in writes:
        size = w.get("size") or {}
        measure = ""
        if size:
            measure = f"  [{size['after']:,} of {size['quota']:,} characters, {size['quota_key']}"
            if size.get("aggregate_after") is not None:
                measure += f"; all inline policies {size['aggregate_after']:,}"
            measure += "]"
        out.append(f"\n{w['write_id']}. {w['api_call']}{measure}")
        out.append(f"   {w['summary']}")
        out.extend("   " + line for line in diff_lines(w))
    if plan.get("skipped"):
        out.append("\nNot written:")
        out.extend(f"  - {s['target']} {s['sid']} ({s['status']}): {s['reason']}" for s in plan["skipped"])
    if plan.get("blocked"):
        out.append("\nCannot be written by you:")
        out.extend(f"  - {b['target']}: {b['reason']}" for b in plan["blocked"])
        out.append("  (`jupyter nbjob-iam handoff` prints what to send an administrator.)")
    out.extend(f"\nNote: {n}" for n in plan.get("notes") or [])
    return "\n".join(out)


def mode_lines(mode: dict[str, Any]) -> list[str]:
    """The preview's statement of which statements it writes (and, as the guide, what that grants)."""
    if not mode:
        return []
    out = [f"Mode: {mode.get('text')}"]
    out.extend(f"  WARNING: {w}" for w in mode.get("warnings") or [])
    return out


def format_result(result: dict[str, Any]) -> str:
    out: list[str] = []
    total = len(result["applied"]) + len(result["failed"]) + len(result["not_attempted"])
    out.append(f"Applied {len(result['applied'])} of {total} changes ({result['status']}).")
    for a in result["applied"]:
        out.append(f"  ok      {a['write_id']} {a['api_call']}{' (earlier run)' if a.get('resumed') else ''}")
    for f in result["failed"]:
        out.append(f"  REFUSED {f['write_id']} {f['api_call']}: {f['error']['message']}")
    for n in result["not_attempted"]:
        out.append(f"  skipped {n['write_id']} {n['api_call']} (not attempted after the refusal)")
    if result.get("backup_id"):
        out.append(f"Backup id: {result['backup_id']}  (undo with: jupyter nbjob-iam undo {result['backup_id']})")
    if result["status"] == "applied" and result.get("verify_attempts"):
        if result.get("verified"):
            out.append(f"Verified after {result['verify_attempts']} check(s): every statement added is now ok.")
        else:
            missing = ", ".join(result.get("still_missing") or [])
            out.append(
                f"Not verified yet after {result['verify_attempts']} check(s) ({missing}); IAM can take a few "
                "minutes: run `jupyter nbjob-iam check` again shortly."
            )
    if result["status"] != "applied":
        out.append("Resume with the same command once the cause is fixed; the journal skips what landed.")
    if result.get("handoff"):
        out.append("\n" + result["handoff"]["text"])
    return "\n".join(out)


def confirm(question: str) -> bool:
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def exit_code(report: dict[str, Any] | None) -> int:
    return EXIT_OK if report and report.get("ok") else EXIT_GAPS


def run(args: argparse.Namespace) -> int:
    from ..fix import apply_plan, make_plan

    store = store_of(args)
    session, report = session_and_report(args)
    plan = make_plan(
        session, report, policy_name=args.policy_name or DEFAULT_POLICY_NAME, as_guide=args.as_guide, store=store
    )
    shown = {k: v for k, v in plan.items() if k != "reads"}
    if not args.json:
        print(format_plan(plan), flush=True)
    if plan["nothing_to_do"]:
        if args.json:
            print(json.dumps({"plan": shown, "result": None, "report": report}, indent=2))
        return exit_code(report)
    if not args.yes and not sys.stdin.isatty():
        print("error: not on a terminal: use --yes to apply these changes without asking", file=sys.stderr)
        return EXIT_ERROR
    if not args.yes and not confirm(f"\nApply these {len(plan['writes'])} changes?"):
        print("Nothing was written.", file=sys.stderr)
        return EXIT_GAPS
    result = apply_plan(
        session, plan["plan_id"], store=store, verify_timeout=args.verify_timeout, check_fn=checker(args, plan)
    )
    if args.json:
        print(json.dumps({"plan": shown, "result": result}, indent=2))
    else:
        print("\n" + format_result(result))
    if result["status"] != "applied":
        first = result["failed"][0]["error"]["message"] if result["failed"] else "the fix did not complete"
        print(f"error: {first}", file=sys.stderr)
        return EXIT_ERROR
    return exit_code(result.get("report"))
