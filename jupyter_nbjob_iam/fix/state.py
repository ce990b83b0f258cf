"""The live IAM state a plan rests on: read it, predict it after some writes, compare.

A plan records exactly what it read (``reads.state``, a flat map) and how to read it again
(``reads.spec``). Each write changes one entry of that map, so the state expected after any prefix of
the plan's writes is the recorded state with their effects folded in. Apply compares the live state
with that prediction (plan conflict when they differ); resume and undo do the same for the writes
that landed. Keys:

    inline:<user|role>:<name>:<policy>   an inline policy's document (absent = no such policy)
    attached:<user|role>:<name>          the sorted ARNs of the managed policies attached
    managed:<arn>                        {"exists", "document" (default version), "version_count", "tool_owned"}
    trust:<role>                         the role's trust policy

Version ids are deliberately not part of the state: IAM picks the id of a new version, so a
prediction could not name it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from ..aws import writes as aws_writes
from ..aws.session import AwsSession
from .merge import canonical


def inline_key(ptype: str, pname: str, policy_name: str) -> str:
    return f"inline:{ptype}:{pname}:{policy_name}"


def attached_key(ptype: str, pname: str) -> str:
    return f"attached:{ptype}:{pname}"


def managed_key(arn: str) -> str:
    return f"managed:{arn}"


def trust_key(role_name: str) -> str:
    return f"trust:{role_name}"


@dataclass
class ReadSpec:
    """What to read: principals ``{"type", "name"}``, managed policy ARNs, roles whose trust matters."""

    principals: list[dict[str, str]] = field(default_factory=list)
    managed: list[str] = field(default_factory=list)
    trust_roles: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"principals": self.principals, "managed": self.managed, "trust_roles": self.trust_roles}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReadSpec:
        return cls(
            principals=[{"type": p["type"], "name": p["name"]} for p in data.get("principals", [])],
            managed=list(data.get("managed", [])),
            trust_roles=list(data.get("trust_roles", [])),
        )


def read_principal(sess: AwsSession, ptype: str, pname: str) -> dict[str, Any]:
    """The state entries of one user or role: every inline policy and the attached list."""
    state: dict[str, Any] = {}
    for policy_name, doc in aws_writes.read_inline_policies(sess, ptype, pname).items():
        state[inline_key(ptype, pname, policy_name)] = doc
    state[attached_key(ptype, pname)] = aws_writes.list_attached_policy_arns(sess, ptype, pname)
    return state


def read_managed(sess: AwsSession, arn: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``(state entry, versions oldest first)`` of a customer managed policy."""
    policy = aws_writes.get_managed_policy(sess, arn)
    if policy is None:
        return {"exists": False}, []
    versions = aws_writes.list_policy_versions(sess, arn)
    document = aws_writes.get_policy_version_document(sess, arn, policy["DefaultVersionId"])
    entry = {
        "exists": True,
        "document": document,
        "version_count": len(versions),
        "tool_owned": bool(policy["tool_owned"]),
    }
    return entry, versions


def read_state(sess: AwsSession, spec: ReadSpec) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(state, extras)``: the live state of ``spec``, and what the planner needs besides
    (``extras["versions"][arn]``, ``extras["default_version"][arn]``)."""
    state: dict[str, Any] = {}
    extras: dict[str, Any] = {"versions": {}}
    for p in spec.principals:
        state.update(read_principal(sess, p["type"], p["name"]))
    for arn in spec.managed:
        entry, versions = read_managed(sess, arn)
        state[managed_key(arn)] = entry
        extras["versions"][arn] = versions
    for role in spec.trust_roles:
        state[trust_key(role)] = aws_writes.get_trust_policy(sess, role)
    return state, extras


def state_to_list(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": k, "value": state[k]} for k in sorted(state)]


def state_from_list(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {item["key"]: item["value"] for item in items}


def write_key(write: dict[str, Any]) -> str:
    """The one state key a write changes."""
    call = write["api_call"]
    p = write.get("principal") or {}
    if call in ("iam:PutUserPolicy", "iam:PutRolePolicy"):
        return inline_key(p["type"], p["name"], write["policy_name"])
    if call == "iam:UpdateAssumeRolePolicy":
        return trust_key(p["name"])
    if call in ("iam:AttachUserPolicy", "iam:AttachRolePolicy"):
        return attached_key(p["type"], p["name"])
    return managed_key(write["policy_arn"])


def apply_effect(state: dict[str, Any], write: dict[str, Any]) -> dict[str, Any]:
    """``state`` as it is once ``write`` has landed (a new dict; ``state`` is not changed)."""
    out = dict(state)
    key = write_key(write)
    call = write["api_call"]
    if call in ("iam:PutUserPolicy", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"):
        out[key] = copy.deepcopy(write["after"])
    elif call in ("iam:AttachUserPolicy", "iam:AttachRolePolicy"):
        out[key] = sorted(set(out.get(key) or []) | {write["policy_arn"]})
    elif call == "iam:CreatePolicy":
        out[key] = {"exists": True, "document": copy.deepcopy(write["after"]), "version_count": 1, "tool_owned": True}
    elif call == "iam:CreatePolicyVersion":
        entry = dict(out[key])
        entry["document"] = copy.deepcopy(write["after"])
        entry["version_count"] = int(entry.get("version_count", 0)) + 1
        out[key] = entry
    elif call == "iam:DeletePolicyVersion":
        entry = dict(out[key])
        entry["version_count"] = int(entry.get("version_count", 0)) - 1
        out[key] = entry
    else:  # pragma: no cover - plans are made by this package
        raise ValueError(f"unknown write {call}")
    return out


def fold(state: dict[str, Any], writes: list[dict[str, Any]]) -> dict[str, Any]:
    for write in writes:
        state = apply_effect(state, write)
    return state


_MISSING = object()
MISSING = _MISSING  # the value of a key that is absent (no such inline policy)


def read_key(sess: AwsSession, key: str) -> Any:
    """The live value of one state key, read just now (``MISSING`` for an absent inline policy)."""
    kind, _, rest = key.partition(":")
    if kind == "inline":
        ptype, pname, policy_name = rest.split(":", 2)
        doc = aws_writes.get_inline_policy(sess, ptype, pname, policy_name)
        return _MISSING if doc is None else doc
    if kind == "attached":
        ptype, pname = rest.split(":", 1)
        return aws_writes.list_attached_policy_arns(sess, ptype, pname)
    if kind == "managed":
        return read_managed(sess, rest)[0]
    if kind == "trust":
        return aws_writes.get_trust_policy(sess, rest)
    raise ValueError(f"unknown state key {key}")  # pragma: no cover - keys are made by this module


def key_label(key: str) -> str:
    """A state key in words: "the inline policy P of user ada", "the trust policy of role R"."""
    kind, _, rest = key.partition(":")
    if kind == "inline":
        ptype, pname, policy_name = rest.split(":", 2)
        return f"the inline policy {policy_name} of {ptype} {pname}"
    if kind == "attached":
        ptype, pname = rest.split(":", 1)
        return f"the managed policies attached to {ptype} {pname}"
    if kind == "managed":
        return f"the managed policy {rest.rsplit('/', 1)[-1]}"
    return f"the trust policy of role {rest}"


def same_value(a: Any, b: Any) -> bool:
    if a is _MISSING or b is _MISSING:
        return a is b
    return canonical(a) == canonical(b)


def differences(live: dict[str, Any], expected: dict[str, Any], keys: list[str] | None = None) -> list[str]:
    """The keys whose live value is not the expected one (all keys of both when ``keys`` is None)."""
    names = sorted(set(live) | set(expected)) if keys is None else keys
    return [k for k in names if not same_value(live.get(k, _MISSING), expected.get(k, _MISSING))]


def write_landed(live: dict[str, Any], before: dict[str, Any], write: dict[str, Any]) -> bool | None:
    """Did ``write`` land? True when the live value of its key is its after-state, False when it is
    still its before-state, None when it is neither (someone else changed it)."""
    key = write_key(write)
    after = apply_effect(before, write)
    value = live.get(key, _MISSING)
    if write["api_call"] in ("iam:AttachUserPolicy", "iam:AttachRolePolicy"):
        return write["policy_arn"] in (value if isinstance(value, list) else [])
    if same_value(value, after.get(key, _MISSING)):
        return True
    if same_value(value, before.get(key, _MISSING)):
        return False
    return None
