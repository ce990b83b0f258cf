"""Request models of the REST API and the CLI: parse untrusted input into typed values.

Every problem is an ``InputError`` (400) naming the field (``details["field"]``); unknown fields are
refused too, so a typo never silently falls back to a default. Deeper checks (is this a well-formed
role ARN of this account? a KMS key ARN?) belong to the layer that knows the rule (``aws/``,
``catalog/``), which raises the same error type.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .constants import ENGINES, REGION_PATTERN
from .constants import MAX_FIELD_CHARS as MAX_FIELD
from .errors import InputError

_PROFILE = re.compile(r"^[\w+=,.@:/-]{1,128}$")
_REGION = re.compile(REGION_PATTERN)
_POLICY_NAME = re.compile(r"^[\w+=,.@-]{1,128}$", re.ASCII)
_PLAN_ID = re.compile(r"^[0-9a-f]{64}$")
_BACKUP_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The scheduler's folders and KMS keys (validated by the check, which knows their forms).
INPUT_FIELDS = ("output_kms_key", "volume_kms_key", "s3_input", "s3_output")


@dataclass(frozen=True)
class CheckParams:
    profile: str | None = None
    region: str | None = None
    role_arn: str | None = None
    kms_key_arn: str | None = None
    engine: str = "auto"
    policy_name: str | None = None
    as_guide: bool = False  # plan only: the guide's broad statements instead of least privilege
    output_kms_key: str | None = None
    volume_kms_key: str | None = None
    s3_input: str | None = None
    s3_output: str | None = None

    def check_inputs(self) -> dict[str, Any]:
        """The keyword arguments of ``run_check`` (besides the session) these parameters stand for."""
        return {
            "role": self.role_arn,
            "kms_key_arn": self.kms_key_arn,
            "engine": self.engine,
            **{name: getattr(self, name) for name in INPUT_FIELDS},
        }


def _bad(field: str, message: str) -> InputError:
    return InputError(message, error_code="invalid_input", details={"field": field})


def _optional_str(body: dict[str, Any], field: str) -> str | None:
    value = body.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad(field, f"`{field}` must be a string or null, not {type(value).__name__}.")
    value = value.strip()
    if len(value) > MAX_FIELD:
        raise _bad(field, f"`{field}` is too long ({len(value)} characters; at most {MAX_FIELD}).")
    if _CONTROL.search(value):
        raise _bad(field, f"`{field}` contains control characters.")
    return value or None


def _matching(field: str, value: str | None, pattern: re.Pattern[str], what: str) -> str | None:
    if value is not None and not pattern.match(value):
        raise _bad(field, f"`{field}` is not {what}: {value[:80]!r}.")
    return value


def parse_json_body(raw: bytes) -> dict[str, Any]:
    """The request body as a JSON object (an empty body is an empty object)."""
    if not raw or not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _bad("body", f"The request body is not valid JSON: {exc}.") from None
    except RecursionError:
        raise _bad("body", "The request body is nested too deeply to be a request.") from None
    if not isinstance(body, dict):
        raise _bad("body", "The request body must be a JSON object.")
    return body


def _refuse_unknown(body: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(str(k) for k in body if k not in allowed)
    if unknown:
        raise _bad(unknown[0], f"Unknown field(s): {', '.join(unknown)[:200]}. Allowed: {', '.join(allowed)}.")


def parse_profile(value: str | None) -> str | None:
    return _matching("profile", value, _PROFILE, "an AWS profile name")


def parse_region(value: str | None) -> str | None:
    return _matching("region", value, _REGION, "an AWS region name such as us-east-1")


def parse_check(body: dict[str, Any], *, allow_policy_name: bool = False) -> CheckParams:
    fields: tuple[str, ...] = ("profile", "region", "role_arn", "kms_key_arn", "engine") + INPUT_FIELDS
    if allow_policy_name:
        fields += ("policy_name", "as_guide")
    _refuse_unknown(body, fields)
    as_guide = body.get("as_guide", False)
    if not isinstance(as_guide, bool):
        raise _bad("as_guide", "`as_guide` must be true or false.")
    engine = _optional_str(body, "engine") or "auto"
    if engine not in ENGINES:
        raise _bad("engine", f"`engine` must be one of {', '.join(ENGINES)}.")
    return CheckParams(
        profile=parse_profile(_optional_str(body, "profile")),
        region=parse_region(_optional_str(body, "region")),
        role_arn=_optional_str(body, "role_arn"),
        kms_key_arn=_optional_str(body, "kms_key_arn"),
        engine=engine,
        policy_name=_matching(
            "policy_name", _optional_str(body, "policy_name"), _POLICY_NAME, "a valid IAM policy name"
        ),
        as_guide=as_guide,
        **{name: _optional_str(body, name) for name in INPUT_FIELDS},
    )


def _required_id(body: dict[str, Any], field: str, pattern: re.Pattern[str], what: str) -> str:
    _refuse_unknown(body, (field,))
    value = _optional_str(body, field)
    if value is None:
        raise _bad(field, f"`{field}` is required.")
    return _matching(field, value, pattern, what)  # type: ignore[return-value]


def parse_apply(body: dict[str, Any]) -> str:
    return _required_id(body, "plan_id", _PLAN_ID, "a plan id (64 hexadecimal characters)")


def parse_undo(body: dict[str, Any]) -> str:
    return _required_id(body, "backup_id", _BACKUP_ID, "a backup id")
