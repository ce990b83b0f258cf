"""The catalog's value types: what is required, for whom, and the concrete requests to check it with.

All are frozen dataclasses. Their dict fields (``statement``, ``context``) are excluded from hashing
(a dict cannot be hashed) but still take part in equality; treat them as read-only: every call of
``required_statements`` / ``build_requests`` hands out fresh copies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from ..constants import REGION_PATTERN
from ..errors import InputError

Target = Literal["identity", "role", "kms"]
TARGETS: tuple[str, ...] = ("identity", "role", "kms")

ContextValue = str | list[str]

_PARTITION_RE = re.compile(r"^aws(-[a-z]+)*$", re.ASCII)
_REGION_RE = re.compile(REGION_PATTERN, re.ASCII)
_ACCOUNT_RE = re.compile(r"^\d{12}$", re.ASCII)
_USERNAME_RE = re.compile(r"^[\w+=,.@-]{1,64}$", re.ASCII)
# A principal as sts:GetCallerIdentity / iam:GetRole name it: user (with path), role (with path),
# assumed-role session, federated user, or the account root.
_PRINCIPAL_RE = re.compile(
    r"^arn:(?P<partition>aws(?:-[a-z]+)*):(?P<service>iam|sts)::(?P<account>\d{12}):"
    r"(?P<resource>root|(?:user|role|assumed-role|federated-user)/[\w+=,.@/:-]+)$",
    re.ASCII,
)
_ROLE_ARN_RE = re.compile(
    r"^arn:(?P<partition>aws(?:-[a-z]+)*):iam::(?P<account>\d{12}):role/(?P<path_name>[\w+=,.@/-]+)$",
    re.ASCII,
)


@dataclass(frozen=True)
class RequiredStatement:
    """One statement of the AWS guide that a principal needs.

    ``statement`` is the guide's statement verbatim (the KMS one gets ``Sid: "KmsKeyAccess"`` and the
    key ARN as ``Resource``). ``actions`` are the concrete actions that are checked, in the guide's
    order; a wildcard action of the guide (``kms:ReEncrypt*``, ``kms:GenerateDataKey*``) is expanded to
    the actions S3 and SageMaker really call with a customer key (see ``statements.KMS_EXPANSION``).
    ``legacy`` marks statements only scheduler versions before 3.0 need (still checked).
    ``why`` is one plain sentence for a data scientist.
    """

    target: str
    sid: str
    statement: dict[str, Any] = field(hash=False)
    actions: tuple[str, ...]
    legacy: bool
    why: str


@dataclass(frozen=True)
class TrustRequirement:
    """The execution role's trust: each service must be allowed ``sts:AssumeRole``."""

    sid: str
    services: tuple[str, ...]
    statement: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class CheckRequest:
    """One concrete request the scheduler (or the job, for target "role") really makes.

    ``context`` satisfies the statement's own conditions and carries the global keys a real request
    carries (a ``str`` is a single-valued key, a ``list`` a multivalued one). ``unknown_keys`` names keys
    a real request carries whose value the checker cannot know; an entry ending in ``*`` covers every
    key with that prefix (``aws:PrincipalTag/*``, ``kms:EncryptionContext:*``). ``note`` says, in plain
    words, where the request had to assume something (no role chosen, a KMS key of another region, a region without a
    known image registry), else None.
    """

    target: str
    sid: str
    action: str
    resource: str
    context: dict[str, ContextValue] = field(hash=False)
    unknown_keys: tuple[str, ...]
    note: str | None = None

    def is_unknown(self, key: str) -> bool:
        """True when ``key`` (case-insensitive, as IAM compares keys) is one of ``unknown_keys``."""
        k = key.lower()
        for u in self.unknown_keys:
            ul = u.lower()
            if ul.endswith("*"):
                if k.startswith(ul[:-1]):
                    return True
            elif k == ul:
                return True
        return False


@dataclass(frozen=True)
class Scope:
    """Who asks, where, and with which role, folders and keys. Validated on creation (``InputError``
    when malformed).

    ``principal_arn`` is the IAM ARN the policies belong to: a user ARN with its path, a role's real ARN
    (from ``iam:GetRole``, never rebuilt from the assumed-role ARN; a session ARN is refused), a
    federated-user ARN, or the account root. ``role_arn`` is the execution role; None means "not chosen
    yet" (the requests then use the scheduler's default name and say so in ``CheckRequest.note``).
    ``username`` is the IAM user name for ``aws:username`` (derived from a user ARN when None).
    ``s3_input`` / ``s3_output`` are the scheduler's input and output folders (``s3://bucket[/prefix]``);
    None means the scheduler's default bucket ``sagemaker-automated-execution-{account}-{region}``.
    ``kms_key_arn`` is the output key and ``volume_kms_key_arn`` the volume key, both exact key ARNs
    (aliases and ids are resolved before, see ``aws/kms.py``).
    """

    account: str
    region: str
    principal_arn: str
    role_arn: str | None = None
    username: str | None = None
    kms_key_arn: str | None = None
    partition: str = "aws"
    s3_input: str | None = None
    s3_output: str | None = None
    volume_kms_key_arn: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.partition, str) or not _PARTITION_RE.fullmatch(self.partition):
            raise _bad("partition", self.partition, "an AWS partition such as aws, aws-cn or aws-us-gov")
        if not isinstance(self.account, str) or not _ACCOUNT_RE.fullmatch(self.account):
            raise _bad("account", self.account, "a 12-digit AWS account id")
        if not isinstance(self.region, str) or not _REGION_RE.fullmatch(self.region):
            raise _bad("region", self.region, "an AWS region name such as us-east-1")
        m = _PRINCIPAL_RE.fullmatch(self.principal_arn) if isinstance(self.principal_arn, str) else None
        if not m:
            raise _bad(
                "principal_arn",
                self.principal_arn,
                "the ARN of an IAM user or role, e.g. arn:aws:iam::123456789012:user/alice",
            )
        if m["resource"].startswith("assumed-role/"):
            raise InputError(
                f"{self.principal_arn} is a role session. Give the role's own ARN (from iam:GetRole, "
                "with its path): policies and aws:PrincipalArn belong to the role, not to the session.",
                details={"field": "principal_arn", "value": self.principal_arn},
            )
        if m["partition"] != self.partition or m["account"] != self.account:
            raise _bad(
                "principal_arn",
                self.principal_arn,
                f"an ARN in partition {self.partition} and account {self.account}",
            )
        if self.role_arn is not None:
            r = _ROLE_ARN_RE.fullmatch(self.role_arn) if isinstance(self.role_arn, str) else None
            if not r or r["partition"] != self.partition:
                raise _bad(
                    "role_arn",
                    self.role_arn,
                    "an IAM role ARN, e.g. arn:aws:iam::123456789012:role/service-role/MyRole",
                )
            if r["account"] != self.account:
                raise InputError(
                    f"The execution role {self.role_arn} is in account {r['account']}, but you are in "
                    f"account {self.account}. A notebook job can only use a role of your own account.",
                    details={"field": "role_arn", "value": self.role_arn},
                )
        if self.username is not None and (
            not isinstance(self.username, str) or not _USERNAME_RE.fullmatch(self.username)
        ):
            raise _bad("username", self.username, "an IAM user name")
        from .statements import validate_kms_key_arn

        for name in ("kms_key_arn", "volume_kms_key_arn"):
            if getattr(self, name) is not None:
                validate_kms_key_arn(getattr(self, name), field=name)
        for name in ("s3_input", "s3_output"):
            if getattr(self, name) is not None:
                parse_s3_uri(getattr(self, name), field=name)

    # -- what the scheduler uses ------------------------------------------------------------------
    @property
    def default_bucket(self) -> str:
        """The scheduler's own bucket, used when no folder is configured."""
        return f"sagemaker-automated-execution-{self.account}-{self.region}"

    def input_location(self) -> tuple[str, str]:
        """(bucket, prefix) the notebook is uploaded under (prefix without slashes, "" = bucket root)."""
        return parse_s3_uri(self.s3_input, field="s3_input") if self.s3_input else (self.default_bucket, "")

    def output_location(self) -> tuple[str, str]:
        """(bucket, prefix) the job writes its results under."""
        return parse_s3_uri(self.s3_output, field="s3_output") if self.s3_output else (self.default_bucket, "")

    def artifact_locations(self) -> list[tuple[str, str]]:
        """The input and output (bucket, key prefix) pairs, without duplicates and without a location
        another one already contains (a prefix "" is the whole bucket)."""
        out: list[tuple[str, str]] = []
        for bucket, prefix in (self.input_location(), self.output_location()):
            if any(b == bucket and _within(prefix, p) for b, p in out):
                continue
            out = [(b, p) for b, p in out if not (b == bucket and _within(p, prefix))]
            out.append((bucket, prefix))
        return out

    def kms_key_arns(self) -> list[str]:
        """The exact key ARNs in use: output key, then volume key (each once)."""
        return list(dict.fromkeys(k for k in (self.kms_key_arn, self.volume_kms_key_arn) if k))

    @property
    def principal_kind(self) -> str:
        """``user``, ``role``, ``federated-user`` or ``root``."""
        m = _PRINCIPAL_RE.fullmatch(self.principal_arn)
        assert m is not None  # validated in __post_init__
        res = m["resource"]
        return "root" if res == "root" else res.split("/", 1)[0]


_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_PREFIX_RE = re.compile(r"^[A-Za-z0-9!_.'()/=+@,:-]*$")


def _within(prefix: str, parent: str) -> bool:
    """Whether key prefix ``prefix`` lies under ``parent`` ("" contains everything)."""
    return parent == "" or prefix == parent or prefix.startswith(parent + "/")


def parse_s3_uri(text: object, *, field: str = "s3_uri") -> tuple[str, str]:
    """``s3://bucket[/prefix]`` -> (bucket, prefix without leading/trailing slashes).

    The scheduler joins ``<prefix>/<job>/input/...`` to it. Refused: another scheme, an invalid bucket
    name, and prefixes with wildcards, quotes or control characters (they would end up in a policy's
    ``Resource``, where ``*`` and ``?`` are wildcards).
    """
    example = "s3://my-bucket/notebook-jobs"
    if not isinstance(text, str) or not text.strip().lower().startswith("s3://"):
        raise InputError(
            f"`{field}` must be an S3 folder such as {example}.",
            details={"field": field, "value": text if isinstance(text, str) else None},
        )
    rest = text.strip()[5:]
    bucket, _, prefix = rest.partition("/")
    prefix = prefix.strip("/")
    if not _BUCKET_RE.fullmatch(bucket) or ".." in bucket:
        raise InputError(
            f"`{field}`: {bucket[:80]!r} is not a valid S3 bucket name (3-63 lowercase letters, digits, dots "
            f"and hyphens), in {text.strip()[:120]!r}.",
            details={"field": field, "value": text.strip()[:200]},
        )
    if len(prefix) > 900 or "//" in prefix or not _PREFIX_RE.fullmatch(prefix):
        raise InputError(
            f"`{field}`: the folder {prefix[:80]!r} may hold letters, digits, / and !-_.'()=+@,: "
            "only (no wildcards * or ?, no spaces or double quotes).",
            details={"field": field, "value": text.strip()[:200]},
        )
    return bucket, prefix


def _bad(name: str, value: object, expected: str) -> InputError:
    return InputError(
        f"The {name.replace('_', ' ')} {value!r} is not valid: expected {expected}.",
        details={"field": name, "value": value if isinstance(value, str | int | None) else repr(value)},
    )
