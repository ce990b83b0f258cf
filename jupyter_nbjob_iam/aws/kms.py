"""KMS keys as the scheduler takes them: a key ARN, a key id, an alias name or an alias ARN.

The scheduler passes the text as typed to SageMaker (``OutputDataConfig.KmsKeyId``,
``ResourceConfig.VolumeKmsKeyId``). IAM policies, though, grant key operations on the key's own ARN
(an alias ARN in a ``Resource`` matches the alias, never the key), so a check or a fix needs the key
ARN: ``kms:DescribeKey`` gives it for an id, an alias name or an alias ARN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError
from .session import AwsSession

KEY_ARN, ALIAS_ARN, ALIAS_NAME, KEY_ID = "key_arn", "alias_arn", "alias_name", "key_id"

_ARN = re.compile(
    r"^arn:(?P<partition>aws(?:-[a-z]+)*):kms:(?P<region>[a-z]{2}(?:-[a-z]+)+-\d{1,2}):(?P<account>\d{12}):"
    r"(?P<kind>key|alias)/(?P<name>[A-Za-z0-9/_-]{1,256})$"
)
_KEY_ID = re.compile(
    r"^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})$"
)
_KEY_NAME = re.compile(r"^[A-Za-z0-9-]{1,128}$")
_ALIAS_NAME = re.compile(r"^alias/[A-Za-z0-9/_-]{1,250}$")
EXAMPLES = (
    "a key ARN (arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab), a key id "
    "(1234abcd-12ab-34cd-56ef-1234567890ab), an alias name (alias/my-key) or an alias ARN "
    "(arn:aws:kms:us-east-1:123456789012:alias/my-key)"
)


@dataclass(frozen=True)
class KmsKeyRef:
    """A typed KMS key reference, classified. ``kind``: key_arn | alias_arn | alias_name | key_id."""

    text: str
    kind: str

    @property
    def exact(self) -> bool:
        """True when the text already is the key's ARN (no lookup needed)."""
        return self.kind == KEY_ARN


def parse_kms_key(text: object, field: str = "kms_key") -> KmsKeyRef:
    """Classify ``text``; ``InputError`` naming ``field`` when it is none of the four forms.

    No quotes, wildcards or whitespace pass: the resolved ARN ends up in a policy document.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"`{field}` must be {EXAMPLES}.", details={"field": field})
    value = text.strip()
    m = _ARN.fullmatch(value)
    if m:
        name = m["name"]
        if m["kind"] == "key" and not _KEY_NAME.fullmatch(name):
            m = None
        elif m["kind"] == "alias" and (name.endswith("/") or "//" in name):
            m = None
    if m:
        return KmsKeyRef(value, KEY_ARN if m["kind"] == "key" else ALIAS_ARN)
    if _KEY_ID.fullmatch(value):
        return KmsKeyRef(value, KEY_ID)
    if _ALIAS_NAME.fullmatch(value) and not value.endswith("/") and "//" not in value:
        return KmsKeyRef(value, ALIAS_NAME)
    what = "a KMS key ARN" if field == "kms_key_arn" else "a KMS key reference"
    raise InputError(
        f"`{field}` {value[:80]!r} is not {what}: use {EXAMPLES}.",
        details={"field": field, "value": value[:200]},
    )


def key_arn_parts(arn: str) -> dict[str, str] | None:
    """``{partition, region, account, kind, name}`` of a KMS ARN, else None."""
    m = _ARN.fullmatch(arn)
    return m.groupdict() if m else None


def describe_key_arn(sess: AwsSession, key: KmsKeyRef) -> str:
    """The key ARN behind ``key`` from ``kms:DescribeKey`` (``AccessDeniedError`` when refused,
    ``NotFoundError`` when no such key or alias exists)."""
    with sess.errors("kms:DescribeKey"):
        meta = sess.client("kms").describe_key(KeyId=key.text)["KeyMetadata"]
    return meta["Arn"]
