"""ARN parsing for the few ARN shapes ``aws/`` reads or is given (offline, no boto3)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError

PARTITIONS = frozenset({"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"})
ROLE_NAME_RE = re.compile(r"^[\w+=,.@-]{1,64}$", re.ASCII)
USER_NAME_RE = re.compile(r"^[\w+=,.@-]{1,64}$", re.ASCII)
_ACCOUNT_RE = re.compile(r"^\d{12}$", re.ASCII)
_PATH_SEGMENT_RE = re.compile(r"^[\x21-\x7e]+$")


@dataclass(frozen=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str

    @property
    def resource_type(self) -> str:
        return self.resource.split("/", 1)[0] if "/" in self.resource else self.resource

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"


def parse_arn(text: str) -> Arn:
    """Split an ARN into its parts; ``InputError`` naming the problem when it is not one."""
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        raise InputError(
            f"'{text}' is not an ARN: an ARN looks like arn:aws:iam::123456789012:role/Name.",
            details={"arn": text},
        )
    _, partition, service, region, account, resource = parts
    if partition not in PARTITIONS:
        raise InputError(
            f"'{text}' names an unknown AWS partition '{partition}'.",
            details={"arn": text, "partition": partition},
        )
    if not service or not resource:
        raise InputError(f"'{text}' is not a complete ARN.", details={"arn": text})
    return Arn(partition, service, region, account, resource)


def split_path_name(resource: str) -> tuple[str, str]:
    """``"role/a/b/Name"`` -> ``("/a/b/", "Name")``; ``"role/Name"`` -> ``("/", "Name")``."""
    _, _, rest = resource.partition("/")
    path, _, name = rest.rpartition("/")
    return (f"/{path}/" if path else "/"), name


@dataclass(frozen=True)
class PrincipalArn:
    """An IAM user or role ARN, split: what ``iam:GetRole`` / ``iam:GetUser`` return."""

    arn: str
    partition: str
    account: str
    kind: str  # "role" | "user" | "group"
    path: str
    name: str


def parse_iam_principal_arn(text: str, *, kinds: tuple[str, ...] = ("role",)) -> PrincipalArn:
    """Validate an IAM role/user/group ARN; ``InputError`` naming exactly what is wrong."""
    text = text.strip()
    arn = parse_arn(text)
    wanted = " or ".join(kinds)
    if arn.service != "iam":
        hint = ""
        if arn.service == "sts" and arn.resource.startswith("assumed-role/"):
            role = arn.resource.split("/")[1] if arn.resource.count("/") >= 1 else ""
            hint = (
                f" This is a session of the role; give the role itself (its name, `{role}`, or its "
                "arn:...:iam::...:role/... ARN)."
            )
        raise InputError(
            f"'{text}' is an ARN of the {arn.service or '?'} service, not an IAM {wanted} ARN.{hint}",
            details={"arn": text, "service": arn.service},
        )
    if arn.region:
        raise InputError(
            f"'{text}' has a region ('{arn.region}'), but IAM ARNs have none.",
            details={"arn": text},
        )
    if not _ACCOUNT_RE.match(arn.account):
        raise InputError(
            f"'{text}' has no valid 12-digit account id.",
            details={"arn": text, "account": arn.account},
        )
    kind = arn.resource_type
    if kind not in kinds or "/" not in arn.resource:
        raise InputError(
            f"'{text}' is an IAM {kind or '?'} ARN, not an IAM {wanted} ARN.",
            details={"arn": text, "resource_type": kind},
        )
    path, name = split_path_name(arn.resource)
    name_re = ROLE_NAME_RE if kind == "role" else USER_NAME_RE
    if not name_re.match(name) or not all(
        _PATH_SEGMENT_RE.match(seg) for seg in path.strip("/").split("/") if path != "/"
    ):
        raise InputError(f"'{text}' does not end in a valid {kind} name.", details={"arn": text, "name": name})
    return PrincipalArn(text, arn.partition, arn.account, kind, path, name)
