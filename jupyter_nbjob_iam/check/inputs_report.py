"""The report's ``inputs`` and ``buckets`` (docs/API.md): which role, folders and keys were checked,
and where each came from."""

from __future__ import annotations

from typing import Any

from ..aws import Role
from ..catalog import Scope
from .default_role import SOURCE_NAME_PREFIX, SOURCE_SETTING
from .inputs import DEFAULT, NAME_PREFIX, NONE, SETTINGS, TYPED, CheckInputs, KeyInput

_ROLE_SOURCES = {SOURCE_SETTING: SETTINGS, SOURCE_NAME_PREFIX: NAME_PREFIX}


def _uri(bucket: str, prefix: str) -> str:
    return f"s3://{bucket}/{prefix}" if prefix else f"s3://{bucket}/"


def inputs_json(
    inputs: CheckInputs,
    keys: dict[str, KeyInput],
    scope: Scope,
    role: Role | None,
    role_text: str | None,
    role_source: str | None,
) -> dict[str, Any]:
    role_entry: dict[str, str | None]
    if role_text is not None:
        role_entry = {"value": role.arn if role else role_text, "source": TYPED}
    elif role is not None:
        role_entry = {"value": role.arn, "source": _ROLE_SOURCES.get(role_source or "", NONE)}
    else:
        role_entry = {"value": None, "source": NONE}
    return {
        "role": role_entry,
        "s3_input": {"value": inputs.s3_input or _uri(*scope.input_location()), "source": inputs.s3_input_source},
        "s3_output": {"value": inputs.s3_output or _uri(*scope.output_location()), "source": inputs.s3_output_source},
        "output_kms_key": keys["output_kms_key"].to_json(),
        "volume_kms_key": keys["volume_kms_key"].to_json(),
    }


def bucket_rows(scope: Scope) -> list[dict[str, Any]]:
    """``[{bucket, prefix, used_for}]``: the input and output locations checked (one row when the same)."""
    rows: list[dict[str, Any]] = []
    for use, (bucket, prefix) in (("input", scope.input_location()), ("output", scope.output_location())):
        same = next((r for r in rows if (r["bucket"], r["prefix"]) == (bucket, prefix)), None)
        if same:
            same["used_for"].append(use)
        else:
            rows.append({"bucket": bucket, "prefix": prefix, "used_for": [use]})
    return rows


def inputs_notes(scope: Scope, keys: dict[str, KeyInput]) -> list[str]:
    notes = [k.error for k in keys.values() if k.error] + [k.note for k in keys.values() if k.note]
    folders = {scope.input_location()[0], scope.output_location()[0]}
    if scope.default_bucket not in folders:
        notes.append(
            f"Your input and output folders are not in the scheduler's own bucket {scope.default_bucket}, so creating "
            "it was not checked (the scheduler tries when its form opens and only logs a failure)."
        )
    rows = bucket_rows(scope)
    names = "; ".join(f"{_uri(r['bucket'], r['prefix'])} ({' and '.join(r['used_for'])})" for r in rows)
    notes.append(f"S3 checked where the scheduler puts the job's files: {names}.")
    return notes


__all__ = ["DEFAULT", "bucket_rows", "inputs_json", "inputs_notes"]
