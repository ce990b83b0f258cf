"""Helpers for the catalog tests: the AWS guide's four policies, and a small matching oracle for the
guide's conditions (independent of the code under test).

The four documents in ``guide/`` are verbatim copies of the JSON policies in the AWS guide "Install
policies and permissions for local Jupyter environments" (Amazon SageMaker Developer Guide, notebook
jobs): the IAM user policy, the KMS policy, the execution role's trust policy and its permissions
policy. They are kept here so the tests need nothing outside the repository."""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path

GUIDE_DIR = Path(__file__).resolve().parent / "guide"
GUIDE_KINDS = ("identity", "kms", "trust", "role")


def load_guide() -> dict[str, dict]:
    """The guide's four policies (identity, kms, trust, role), from the copies in ``guide/``."""
    return {kind: json.loads((GUIDE_DIR / f"{kind}.json").read_text(encoding="utf-8")) for kind in GUIDE_KINDS}


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
