"""``jupyter nbjob-iam`` / ``python -m jupyter_nbjob_iam``: the command-line face of the services.

Each subcommand lives in its own module exposing ``register(subparsers)``, which adds its parser
and sets ``func`` (taking the parsed args, returning the exit code). Exit codes: 0 all ok,
1 gaps found, 2 error (a one-line reason on stderr).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Any, NoReturn

from .. import __version__
from ..aws.log_scrub import install_log_scrubbing
from ..errors import InputError, NbJobIamError

SUBCOMMANDS: tuple[str, ...] = ("sandbox", "demo", "check", "fix", "undo", "handoff")

EXIT_OK, EXIT_GAPS, EXIT_ERROR = 0, 1, 2

# The REST field each flag fills, so errors name the flag the person typed.
FLAGS = {
    "profile": "--profile",
    "region": "--region",
    "role_arn": "--role",
    "kms_key_arn": "--kms-key-arn",
    "output_kms_key": "--output-kms-key",
    "volume_kms_key": "--volume-kms-key",
    "s3_input": "--s3-input",
    "s3_output": "--s3-output",
    "engine": "--engine",
    "policy_name": "--policy-name",
}


def check_params(args: argparse.Namespace, *, allow_policy_name: bool = False) -> Any:
    """The check's inputs from the flags, through the validators of the REST API (``models``), so
    the CLI accepts and refuses exactly what ``POST /nbjob-iam/check`` does."""
    from ..models import parse_check

    body = {
        "profile": args.profile,
        "region": args.region,
        "role_arn": args.role,
        "kms_key_arn": args.kms_key_arn,
        "engine": args.engine,
    }
    for name in ("output_kms_key", "volume_kms_key", "s3_input", "s3_output"):  # check's flags (fix has none yet)
        if getattr(args, name, None) is not None:
            body[name] = getattr(args, name)
    if allow_policy_name:
        body["policy_name"] = args.policy_name
    try:
        return parse_check(body, allow_policy_name=allow_policy_name)
    except InputError as exc:
        field = str(exc.details.get("field"))
        if field in FLAGS:
            exc.message = exc.message.replace(f"`{field}`", FLAGS[field])
            exc.args = (exc.message,)
        raise


def add_input_flags(parser: argparse.ArgumentParser) -> None:
    """The scheduler's inputs as flags: both KMS keys and both S3 folders (defaults: its saved settings)."""
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


def one_line(text: str) -> str:
    """The reason on one line, whatever the input quoted in it (a value with a line break)."""
    return " ".join(str(text).split())


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own exit code is 2 too; keep one line
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {one_line(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="jupyter nbjob-iam",
        description=(
            "Check and fix the IAM permissions that SageMaker notebook jobs need when you schedule "
            "them from a local JupyterLab."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in SUBCOMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "sandbox":  # its own parser (argparse REMAINDER cannot pass --help on)
        from ..sandbox.server import main_sandbox

        return main_sandbox(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    install_log_scrubbing()
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_OK if not args.command else EXIT_ERROR
    try:
        return int(args.func(args))
    except NbJobIamError as exc:
        print(f"error: {one_line(exc.message)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_ERROR
