"""The README section "Permissions the extension itself needs", parsed (a plain module): the least-
privilege tests grant exactly what it lists, so the document and the tests cannot drift."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TITLE = "## Permissions the extension itself needs"
ROW = re.compile(r"^\| `((?:iam|sts|kms):[A-Za-z]+)` \|(.*)\|\s*$", re.M)


def section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert TITLE in text, f"README.md has no section {TITLE!r}"
    return text.split(TITLE, 1)[1].split("\n## ", 1)[0]


def tables() -> dict[str, dict[str, bool]]:
    """``{"check" | "fix" | "undo": {action: optional}}`` from the section's three tables."""
    out: dict[str, dict[str, bool]] = {}
    for part in re.split(r"^### ", section(), flags=re.M)[1:]:
        purpose = part.split()[1]  # "### To check (read-only)" -> "check"
        out[purpose] = {action: "optional" in why for action, why in ROW.findall(part)}
    return out


def policy_block() -> dict:
    """The section's JSON identity policy."""
    match = re.search(r"```json\n(.*?)```", section(), re.S)
    assert match, "the section has no JSON policy"
    return json.loads(match.group(1))


def actions(*purposes: str, optional: bool = True) -> list[str]:
    """The actions listed for ``purposes`` (all three by default), optional ones included or not."""
    found = tables()
    return [a for p in purposes or found for a, opt in found[p].items() if optional or not opt]


def code_actions() -> set[str]:
    """Every ``iam:``/``sts:``/``kms:`` action named in ``jupyter_nbjob_iam/aws/`` (``{cap}`` is User or Role)."""
    named: set[str] = set()
    for path in (ROOT / "jupyter_nbjob_iam" / "aws").glob("*.py"):
        for action in re.findall(r'f?"((?:iam|sts|kms):[A-Z{][A-Za-z{}.]*)"', path.read_text(encoding="utf-8")):
            if "{" in action:
                named.update(re.sub(r"\{[^}]*\}", cap, action) for cap in ("User", "Role"))
            else:
                named.add(action)
    return named


def grant(*allowed: str) -> str:
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": sorted(allowed), "Resource": "*"}]}
    )
