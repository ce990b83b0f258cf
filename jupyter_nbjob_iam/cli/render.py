"""The check report as a compact table for a terminal, grouped by target.

Colour only on a terminal (``isatty``), never when ``NO_COLOR`` is set (https://no-color.org) or
``TERM=dumb``. What is missing is indented under its statement; the JSON (``--json``) has it all.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Mapping
from typing import IO

from ..catalog.statements import TRUST_SID
from ..check import Report, StatementResult

WIDTH = 100
STATUS_COLUMN = 13  # len("CONDITIONAL") + 2
INDENT = "  "
DETAIL_INDENT = INDENT + " " * STATUS_COLUMN

_COLORS = {
    "ok": "32",  # green
    "missing": "31",  # red
    "denied": "31;1",  # bold red
    "partial": "33",  # yellow
    "conditional": "33",
    "unknown": "35",  # magenta
}
_HEADINGS = {
    "identity": "Your permissions",
    "trust": "Execution role trust",
    "role": "Execution role permissions",
    "kms": "KMS key",
}


def use_color(stream: IO[str], environ: Mapping[str, str] | None = None) -> bool:
    """Colour for ``stream``: a terminal, ``NO_COLOR`` unset or empty, ``TERM`` not ``dumb``."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, width=WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False)


def _wrapped(label: str, items: list[str] | tuple[str, ...] | str) -> list[str]:
    text = items if isinstance(items, str) else ", ".join(items)
    return _wrap(f"{label}{text}", DETAIL_INDENT, DETAIL_INDENT + " " * len(label))


def _statement_lines(stmt: StatementResult, style: _Style) -> list[str]:
    word = stmt.status.upper()
    padded = word.ljust(STATUS_COLUMN)
    head = f"{INDENT}{style(padded, _COLORS.get(stmt.status, '0'))}{stmt.sid}"
    if stmt.legacy:
        head += style("  (legacy: scheduler < 3.0)", "2")
    lines = [head]
    if stmt.status == "ok":
        return lines
    if stmt.missing_services:  # sts:AssumeRole by a service (trust), iam:PassRole to a service
        how = "by" if stmt.sid == TRUST_SID else "to"
        services = ", ".join(stmt.missing_services)
        lines += _wrapped("missing: ", f"{', '.join(stmt.missing_actions)} {how} {services}")
    elif stmt.status in ("missing", "partial", "denied") and stmt.missing_actions:
        lines += _wrapped("missing: ", stmt.missing_actions)
    if stmt.status == "denied":
        blockers = list(dict.fromkeys(f"{d.policy} ({d.source})" for d in stmt.decided_by))
        lines += _wrapped("blocked by: ", blockers or [stmt.detail])
    if stmt.unknown_keys:
        lines += _wrapped("depends on: ", stmt.unknown_keys)
    if stmt.status == "unknown":
        lines += _wrapped("", stmt.detail)
    return lines


_SOURCES = {
    "typed": "typed",
    "scheduler_settings": "scheduler's saved settings",
    "name_prefix": "first role named SagemakerJupyterScheduler*",
    "default": "scheduler's default",
}


def _input_lines(report: Report, style: _Style) -> list[str]:
    """Where the role, the folders and the keys came from (``inputs``)."""
    lines = []
    labels = (
        ("role", "Role from"),
        ("s3_input", "Input"),
        ("s3_output", "Output"),
        ("output_kms_key", "Output key"),
        ("volume_kms_key", "Volume key"),
    )
    for name, label in labels:
        entry = report.inputs.get(name) or {}
        source = _SOURCES.get(entry.get("source", ""))
        if not source:
            continue
        value = entry.get("value") if name != "role" else ""
        resolved = entry.get("resolved_arn")
        if resolved and resolved != value:
            value = f"{value} -> {resolved}"
        elif entry.get("error"):
            value = f"{value} (not resolved)"
        text = f"{value}  ({source})" if value else source
        lines.append(f"{style(label.ljust(12), '1')}{text}")
    return lines


def _blocker_lines(report: Report, style: _Style) -> list[str]:
    """What stops the installed scheduler whatever the permissions (``environment``)."""
    scheduler = (report.environment or {}).get("scheduler") or {}
    lines: list[str] = []
    for blocker in scheduler.get("blockers") or []:
        lines += ["", style("Scheduler blocked here", "31;1")]
        lines += _wrap(blocker["message"], INDENT, INDENT)
        lines += _wrap("Way out: " + blocker["way_out"], INDENT, INDENT + "  ")
    return lines


def render_report(report: Report, *, color: bool = False) -> str:
    """The human-readable table (ends with a newline)."""
    style = _Style(color)
    ident = report.identity
    lines = [f"{style('Identity', '1')}  {ident.arn}  ({ident.kind})"]
    if ident.editable is False and ident.not_editable_reason:
        lines += textwrap.wrap(
            ident.not_editable_reason, width=WIDTH, initial_indent="          ", subsequent_indent="          "
        )
    role = report.role
    lines.append(f"{style('Role', '1')}      {role.arn if role else '(none)'}")
    profile = report.profile or "(default credentials)"
    lines.append(
        f"{style('Account', '1')}   {report.account}   region {report.region}   profile {profile}   "
        f"engine {report.engine}"
    )
    lines += _input_lines(report, style)
    blockers = _blocker_lines(report, style)
    gaps, legacy_gaps, total = 0, 0, 0
    for target in report.targets:
        lines.append("")
        heading = _HEADINGS.get(target.target, target.target)
        lines.append(f"{style(heading, '1')} ({target.target})  {target.principal_arn or ''}".rstrip())
        for stmt in target.statements:
            lines += _statement_lines(stmt, style)
            total += 1
            if stmt.status != "ok":
                legacy_gaps += stmt.legacy
                gaps += not stmt.legacy
    if report.notes:
        lines.append("")
        lines.append(style("Notes", "1"))
        for note in report.notes:
            lines += _wrap(note, f"{INDENT}- ", INDENT + "  ")
    lines += blockers
    lines.append("")
    legacy = f"{legacy_gaps} legacy statement(s) that only scheduler versions before 3.0 use"
    if report.ok:
        verdict = style("All required permissions are in place.", "32;1")
        lines.append(verdict + (f" Not in place: {legacy}." if legacy_gaps else ""))
    else:
        # Legacy gaps count against ok only with an old scheduler: then every gap is "attention".
        needing = gaps or legacy_gaps
        text = f"{needing} of {total} statements need attention"
        lines.append(style(text, "31;1") + (f", plus {legacy}." if gaps and legacy_gaps else "."))
    return "\n".join(lines) + "\n"
