"""Helpers for the catalog tests: the AWS guide's four policies parsed from its own text, and a small
matching oracle for the guide's conditions (independent of the code under test)."""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
GUIDE = REPO_ROOT.parent / "shared" / "seeds" / "000_f41947ac413639ff.txt"


def parse_guide(text: str) -> dict[str, dict]:
    """Every JSON policy in the guide's text, keyed by what it is (identity, kms, trust, role)."""
    decoder = json.JSONDecoder()
    docs = []
    pos = 0
    while (start := text.find('{ "Version"', pos)) >= 0:
        doc, pos = decoder.raw_decode(text, start)
        docs.append(doc)
    out: dict[str, dict] = {}
    for doc in docs:
        first = doc["Statement"][0]
        if "Principal" in first:
            out["trust"] = doc
        elif first.get("Sid") == "EventBridgeSchedule":
            out["identity"] = doc
        elif first.get("Sid") == "PassroleForJobCreation":
            out["role"] = doc
        elif "kms:Encrypt" in first.get("Action", []):
            out["kms"] = doc
    assert len(docs) == 4 and len(out) == 4, f"expected the guide's 4 policies, found {len(docs)}"
    return out


def as_list(value) -> list:
    return [value] if isinstance(value, str) else list(value)


def action_matches(pattern: str, action: str) -> bool:
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def resource_matches(pattern: str, resource: str) -> bool:
    return fnmatch.fnmatchcase(resource, pattern)


def conditions_hold(condition: dict, context: dict) -> bool:
    """A small oracle for the guide's own conditions: StringEquals and StringLike, single or multivalued
    context values, keys case-insensitive. Any other operator fails the test loudly."""
    ctx = {k.lower(): v for k, v in context.items()}
    for operator, block in condition.items():
        if operator not in ("StringEquals", "StringLike"):
            raise AssertionError(f"oracle does not know {operator}")
        for key, wanted in block.items():
            if key.lower() not in ctx:
                return False
            have = ctx[key.lower()]
            have_values = [have] if isinstance(have, str) else have
            if len(have_values) != 1:
                return False
            value = have_values[0]
            if operator == "StringEquals":
                ok = value in as_list(wanted)
            else:
                ok = any(fnmatch.fnmatchcase(value, w) for w in as_list(wanted))
            if not ok:
                return False
    return True
