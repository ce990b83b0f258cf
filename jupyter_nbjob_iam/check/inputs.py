"""The check's inputs and where each came from: typed by the person, the scheduler's saved settings
(``advancedOptions`` of ``@amzn/sagemaker-jupyter-scheduler:advanced-options``), the role-name prefix
the scheduler pre-selects by, or the scheduler's defaults.

``gather_inputs`` validates everything it can before any AWS call (``InputError`` naming the field;
for a saved value, the message says it came from the scheduler's settings). ``resolve_keys`` turns
KMS key ids and aliases into key ARNs with ``kms:DescribeKey``; a key it cannot resolve exactly is
reported with the reason and left out of what is checked and fixed (``KeyInput.error``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..aws import AwsSession
from ..aws.kms import KEY_ID, KmsKeyRef, describe_key_arn, key_arn_parts, parse_kms_key
from ..catalog.model import parse_s3_uri
from ..errors import AccessDeniedError, AwsError, CredentialsError, InputError, NbJobIamError, NotFoundError
from ..scheduler_settings import SCHEDULER_SETTING_ID, SchedulerSettings

TYPED, SETTINGS, NAME_PREFIX, DEFAULT, NONE = "typed", "scheduler_settings", "name_prefix", "default", "none"
SOURCES = (TYPED, SETTINGS, NAME_PREFIX, DEFAULT, NONE)
KEY_FIELDS = {"output_kms_key": "sm_output_kms_key", "volume_kms_key": "sm_volume_kms_key"}
KMS_NOT_FOUND_CODES = frozenset({"NotFoundException", "NotFound"})


@dataclass(frozen=True)
class KeyInput:
    """One KMS key input: as given, its source, and the key ARN (None with ``error`` when unresolved)."""

    value: str | None
    source: str
    ref: KmsKeyRef | None = None
    resolved_arn: str | None = None
    error: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "source": self.source, "resolved_arn": self.resolved_arn, "error": self.error}


@dataclass(frozen=True)
class CheckInputs:
    s3_input: str | None
    s3_input_source: str
    s3_output: str | None
    s3_output_source: str
    output_key: KeyInput
    volume_key: KeyInput
    settings: SchedulerSettings

    def keys(self) -> dict[str, KeyInput]:
        return {"output_kms_key": self.output_key, "volume_kms_key": self.volume_key}


def _from_settings(field: str, setting: str, check) -> Any:
    try:
        return check()
    except InputError as exc:
        exc.message = f"The scheduler's saved setting {setting} ({SCHEDULER_SETTING_ID}) cannot be used: {exc.message}"
        exc.args = (exc.message,)
        exc.details["field"] = field
        exc.details["source"] = SETTINGS
        raise


def _folder(field: str, typed: str | None, saved: str | None) -> tuple[str | None, str]:
    if typed:
        parse_s3_uri(typed, field=field)
        return typed, TYPED
    if saved:
        _from_settings(field, f"advancedOptions.{field}", lambda: parse_s3_uri(saved, field=field))
        return saved, SETTINGS
    return None, DEFAULT


def _key(field: str, typed: str | None, saved: str | None) -> KeyInput:
    if typed:
        ref = parse_kms_key(typed, field)
        return KeyInput(ref.text, TYPED, ref, ref.text if ref.exact else None)
    if saved:
        setting = f"advancedOptions.{KEY_FIELDS[field]}"
        ref = _from_settings(field, setting, lambda: parse_kms_key(saved, field))
        return KeyInput(ref.text, SETTINGS, ref, ref.text if ref.exact else None)
    return KeyInput(None, NONE)


def gather_inputs(
    settings: SchedulerSettings,
    *,
    kms_key_arn: Any = None,
    output_kms_key: Any = None,
    volume_kms_key: Any = None,
    s3_input: Any = None,
    s3_output: Any = None,
) -> CheckInputs:
    """The inputs in effect, validated: typed values first, then the scheduler's saved settings, then its
    defaults. ``kms_key_arn`` (the older field) is the output key, and must be an ARN."""
    for name, value in (
        ("kms_key_arn", kms_key_arn),
        ("output_kms_key", output_kms_key),
        ("volume_kms_key", volume_kms_key),
        ("s3_input", s3_input),
        ("s3_output", s3_output),
    ):
        if value is not None and not isinstance(value, str):
            raise InputError(f"`{name}` must be a string.", details={"field": name})
    if kms_key_arn is not None and kms_key_arn.strip():
        ref = parse_kms_key(kms_key_arn, "kms_key_arn")
        if ref.kind not in ("key_arn", "alias_arn"):
            raise InputError(
                "`kms_key_arn` takes a key ARN or an alias ARN; give a key id or alias name as `output_kms_key`.",
                details={"field": "kms_key_arn", "value": ref.text[:200]},
            )
        if output_kms_key and output_kms_key.strip() and output_kms_key.strip() != ref.text:
            raise InputError(
                "`kms_key_arn` and `output_kms_key` name two different output keys: give one.",
                details={"field": "output_kms_key"},
            )
        output_kms_key = ref.text
    s3_in, s3_in_source = _folder("s3_input", (s3_input or "").strip() or None, settings.s3_input)
    s3_out, s3_out_source = _folder("s3_output", (s3_output or "").strip() or None, settings.s3_output)
    return CheckInputs(
        s3_input=s3_in,
        s3_input_source=s3_in_source,
        s3_output=s3_out,
        s3_output_source=s3_out_source,
        output_key=_key("output_kms_key", (output_kms_key or "").strip() or None, settings.sm_output_kms_key),
        volume_key=_key("volume_kms_key", (volume_kms_key or "").strip() or None, settings.sm_volume_kms_key),
        settings=settings,
    )


def needs_lookup(inputs: CheckInputs) -> list[KmsKeyRef]:
    """The key references that need ``kms:DescribeKey`` (ids and aliases), each once."""
    refs = [k.ref for k in inputs.keys().values() if k.ref is not None and not k.ref.exact]
    return list(dict.fromkeys(refs))


def describe_keys(
    session: AwsSession, refs: list[KmsKeyRef]
) -> dict[KmsKeyRef, tuple[str | None, NbJobIamError | None]]:
    """``kms:DescribeKey`` for each reference: ``{ref: (key ARN or None, the refusal or None)}``.
    Credentials problems are raised (they stop the whole check)."""
    out: dict[KmsKeyRef, tuple[str | None, NbJobIamError | None]] = {}
    for ref in refs:
        try:
            out[ref] = (describe_key_arn(session, ref), None)
        except CredentialsError:
            raise
        except (AwsError, NotFoundError) as exc:
            out[ref] = (None, exc)
    return out


def _refused(exc: NbJobIamError | None) -> bool:
    """AccessDenied, or any HTTP 403 answer (some endpoints answer KMS refusals without the JSON code)."""
    return isinstance(exc, AccessDeniedError) or (exc is not None and exc.details.get("http_status") == 403)


def _refusal(field: str, ref: KmsKeyRef, exc: NbJobIamError) -> str:
    code = exc.details.get("aws_error_code", type(exc).__name__)
    if _refused(exc) and not isinstance(exc, AccessDeniedError):
        code = "AccessDenied"
    which = "output" if field == "output_kms_key" else "volume"
    if _refused(exc):
        return (
            f"The {which} KMS key {ref.text} could not be resolved to its key ARN: kms:DescribeKey was refused "
            f"({code}). It was not checked, and a fix writes nothing for it: allow kms:DescribeKey on the key, or give "
            f"the key's ARN (`aws kms describe-key --key-id {ref.text}` prints it)."
        )
    if code in KMS_NOT_FOUND_CODES or isinstance(exc, NotFoundError):
        return (
            f"The {which} KMS key {ref.text} does not exist in this account and region (kms:DescribeKey: {code}). "
            "It was not checked, and a fix writes nothing for it."
        )
    return (
        f"The {which} KMS key {ref.text} could not be resolved to its key ARN ({exc.message.rstrip('.')}). "
        "It was not checked, and a fix writes nothing for it."
    )


def resolve_keys(
    inputs: CheckInputs,
    described: dict[KmsKeyRef, tuple[str | None, NbJobIamError | None]],
    *,
    partition: str,
    region: str,
    account: str,
) -> dict[str, KeyInput]:
    """Each key input with its key ARN, or the reason it has none.

    A key id names a key of the caller's account in the job's region, so when ``kms:DescribeKey`` is
    refused its ARN is still exact (``arn:<partition>:kms:<region>:<account>:key/<id>``) and says so in
    ``note``; an alias cannot be resolved without the call. A key ARN is used as given.
    """
    out: dict[str, KeyInput] = {}
    for field, key in inputs.keys().items():
        ref = key.ref
        if ref is None or ref.exact:
            out[field] = key
            continue
        arn, exc = described.get(ref, (None, None))
        if arn and key_arn_parts(arn):
            out[field] = KeyInput(key.value, key.source, ref, arn)
        elif ref.kind == KEY_ID and _refused(exc):
            derived = f"arn:{partition}:kms:{region}:{account}:key/{ref.text}"
            note = (
                f"kms:DescribeKey was refused for the key id {ref.text}; a key id names a key of your account in "
                f"{region}, so it was checked as {derived}."
            )
            out[field] = KeyInput(key.value, key.source, ref, derived, note=note)
        else:
            error = _refusal(field, ref, exc) if exc is not None else f"The KMS key {ref.text} could not be resolved."
            out[field] = KeyInput(key.value, key.source, ref, None, error)
    return out


def scope_inputs(inputs: CheckInputs, keys: dict[str, KeyInput]) -> dict[str, str | None]:
    """The ``Scope`` fields these inputs set: folders as given, keys as resolved (None when unresolved)."""
    return {
        "s3_input": inputs.s3_input,
        "s3_output": inputs.s3_output,
        "kms_key_arn": keys["output_kms_key"].resolved_arn,
        "volume_kms_key_arn": keys["volume_kms_key"].resolved_arn,
    }
