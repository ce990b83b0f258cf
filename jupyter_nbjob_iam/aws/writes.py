"""Every IAM write the fix makes, and the reads that re-check live documents before and after it.

IAM's ``Put*Policy``, ``UpdateAssumeRolePolicy`` and ``CreatePolicyVersion`` replace whole documents,
so the service layer (``fix/``) always reads, merges, compares and only then calls a write here.
This module only talks to IAM:

- ``ConcurrentModification`` (another writer is changing the same entity) is never answered by
  resending the same document blindly: the caller's ``recheck`` re-reads the target and says whether
  it is still as expected (``"resend"``, after a bounded backoff, ``RETRY_DELAYS``), already shows the
  write (``"landed"``: done), or raises a conflict; without a ``recheck`` the error is returned as is.
- every other failure leaves as the project's error (``aws_errors``), scrubbed of credentials;
  ``error_code_of`` reads AWS's code (``AccessDenied``, ``UnmodifiableEntity``, ``LimitExceeded``) back.
- documents are sent as compact JSON (IAM does not count whitespace; compact keeps logs short).

Delete calls exist for undo only: the fix service calls them for inline policies, policy versions
and managed policies it created itself, never for anything else.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from botocore import exceptions as bce

from ..errors import NbJobIamError, NotFoundError
from .roles import decode_document
from .session import AwsSession

T = TypeVar("T")

# Seconds to wait before each retry of a ConcurrentModification (jitter added); len = retries.
RETRY_DELAYS: tuple[float, ...] = (0.2, 0.4, 0.8, 1.6)
RETRIED_CODES = frozenset({"ConcurrentModification", "ConcurrentModificationException"})

# How the tool marks the customer managed policies it creates (the only ones it ever changes).
TOOL_TAG_KEY = "created-by"
TOOL_TAG_VALUE = "jupyter-nbjob-iam"
TOOL_DESCRIPTION = "Created by jupyter-nbjob-iam: permissions for SageMaker notebook jobs."

_CAP = {"user": "User", "role": "Role"}


def compact_json(document: Any) -> str:
    """The document as IAM receives it: compact JSON, non-ASCII kept as characters."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def error_code_of(exc: BaseException) -> str | None:
    """AWS's error code of a translated error (``details['aws_error_code']``), else None."""
    details = getattr(exc, "details", None) or {}
    code = details.get("aws_error_code")
    return str(code) if code else None


# Called after a ConcurrentModification: "resend" (the target is still as expected), "landed" (it
# already shows the write), or it raises (someone else changed it: a conflict).
Recheck = Callable[[], str]


def _retrying(
    sess: AwsSession,
    action: str,
    call: Callable[[], T],
    recheck: Recheck | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T | None:
    """Run ``call``; on ConcurrentModification ask ``recheck`` (see ``Recheck``), resending at most
    ``len(RETRY_DELAYS)`` times; None when ``recheck`` found the write landed. Every failure is
    translated to the project's errors."""
    attempt = 0
    while True:
        try:
            with sess.errors(action):
                try:
                    return call()
                except bce.ClientError as exc:
                    code = exc.response.get("Error", {}).get("Code")
                    if code in RETRIED_CODES and recheck is not None and attempt < len(RETRY_DELAYS):
                        raise _Retry() from exc
                    raise
        except _Retry:
            delay = RETRY_DELAYS[attempt]
            attempt += 1
            sleep(delay + random.uniform(0, delay / 2))
            if recheck is not None and recheck() == "landed":
                return None


class _Retry(Exception):
    pass


def _log_write(sess: AwsSession, action: str, principal: str, policy: str, document: Any = None) -> None:
    """Every IAM write at INFO: who, which call, which policy, how big, for which plan. Never a
    document's text or a credential."""
    size = len(compact_json(document)) if document is not None else None
    context = " ".join(f"{k}={v}" for k, v in sorted(sess.log_context.items()) if v)
    sess.log.info("nbjob-iam IAM write %s principal=%s policy=%s size=%s %s", action, principal, policy, size, context)


def _principal_args(principal_type: str, name: str) -> tuple[str, dict[str, str]]:
    if principal_type not in _CAP:
        raise NbJobIamError(f"Not a principal type the fix writes to: {principal_type!r}.")
    cap = _CAP[principal_type]
    return cap, {f"{cap}Name": name}


def _iam(sess: AwsSession) -> Any:
    return sess.client("iam")


# -- reads of live documents ----------------------------------------------------------------


def list_inline_policy_names(sess: AwsSession, principal_type: str, name: str) -> list[str]:
    cap, args = _principal_args(principal_type, name)
    out: list[str] = []
    with sess.errors(f"iam:List{cap}Policies"):
        for page in _iam(sess).get_paginator(f"list_{principal_type}_policies").paginate(**args):
            out.extend(page.get("PolicyNames", []))
    return out


def get_inline_policy(sess: AwsSession, principal_type: str, name: str, policy_name: str) -> Any | None:
    """The inline policy's document (a dict), or None when there is no such policy."""
    cap, args = _principal_args(principal_type, name)
    try:
        with sess.errors(f"iam:Get{cap}Policy"):
            resp = getattr(_iam(sess), f"get_{principal_type}_policy")(PolicyName=policy_name, **args)
    except NotFoundError:
        return None
    return decode_document(resp.get("PolicyDocument"))


def read_inline_policies(sess: AwsSession, principal_type: str, name: str) -> dict[str, Any]:
    """``{policy name: document}`` of every inline policy of the user or role."""
    out: dict[str, Any] = {}
    for policy_name in list_inline_policy_names(sess, principal_type, name):
        doc = get_inline_policy(sess, principal_type, name, policy_name)
        if doc is not None:  # deleted between the list and the get
            out[policy_name] = doc
    return out


def list_attached_policy_arns(sess: AwsSession, principal_type: str, name: str) -> list[str]:
    cap, args = _principal_args(principal_type, name)
    out: list[str] = []
    with sess.errors(f"iam:ListAttached{cap}Policies"):
        for page in _iam(sess).get_paginator(f"list_attached_{principal_type}_policies").paginate(**args):
            out.extend(p["PolicyArn"] for p in page.get("AttachedPolicies", []))
    return sorted(out)


def get_trust_policy(sess: AwsSession, role_name: str) -> Any:
    """The role's trust policy (``iam:GetRole``); ``NotFoundError`` when the role is gone."""
    with sess.errors("iam:GetRole"):
        role = _iam(sess).get_role(RoleName=role_name)["Role"]
    return decode_document(role.get("AssumeRolePolicyDocument"))


def get_managed_policy(sess: AwsSession, arn: str) -> dict[str, Any] | None:
    """``iam:GetPolicy``'s ``Policy`` (with ``tool_owned`` added), or None when it does not exist."""
    try:
        with sess.errors("iam:GetPolicy"):
            policy = dict(_iam(sess).get_policy(PolicyArn=arn)["Policy"])
    except NotFoundError:
        return None
    tags = {t.get("Key"): t.get("Value") for t in policy.get("Tags") or []}
    policy["tool_owned"] = tags.get(TOOL_TAG_KEY) == TOOL_TAG_VALUE or (policy.get("Description") or "").startswith(
        TOOL_DESCRIPTION
    )
    return policy


def get_policy_version_document(sess: AwsSession, arn: str, version_id: str) -> Any:
    with sess.errors("iam:GetPolicyVersion"):
        version = _iam(sess).get_policy_version(PolicyArn=arn, VersionId=version_id)["PolicyVersion"]
    return decode_document(version.get("Document"))


def list_policy_versions(sess: AwsSession, arn: str) -> list[dict[str, Any]]:
    """``[{"version_id", "is_default", "created"}]``, oldest first."""
    out: list[dict[str, Any]] = []
    with sess.errors("iam:ListPolicyVersions"):
        for page in _iam(sess).get_paginator("list_policy_versions").paginate(PolicyArn=arn):
            for v in page.get("Versions", []):
                created = v.get("CreateDate")
                out.append(
                    {
                        "version_id": v["VersionId"],
                        "is_default": bool(v.get("IsDefaultVersion")),
                        "created": created.isoformat() if hasattr(created, "isoformat") else str(created or ""),
                    }
                )

    def order(v: dict[str, Any]) -> tuple[str, int]:
        digits = "".join(ch for ch in v["version_id"] if ch.isdigit())
        return (v["created"], int(digits) if digits else 0)

    return sorted(out, key=order)


# -- writes -------------------------------------------------------------------------------


def put_inline_policy(
    sess: AwsSession, principal_type: str, name: str, policy_name: str, document: Any, recheck: Recheck | None = None
) -> None:
    """``iam:PutUserPolicy`` / ``iam:PutRolePolicy``: replaces the whole inline policy."""
    cap, args = _principal_args(principal_type, name)
    method = getattr(_iam(sess), f"put_{principal_type}_policy")
    _retrying(
        sess,
        f"iam:Put{cap}Policy",
        lambda: method(PolicyName=policy_name, PolicyDocument=compact_json(document), **args),
        recheck,
    )
    _log_write(sess, f"iam:Put{cap}Policy", f"{principal_type}/{name}", policy_name, document)


def delete_inline_policy(sess: AwsSession, principal_type: str, name: str, policy_name: str) -> None:
    """Undo only: remove an inline policy the tool created."""
    cap, args = _principal_args(principal_type, name)
    method = getattr(_iam(sess), f"delete_{principal_type}_policy")
    _retrying(sess, f"iam:Delete{cap}Policy", lambda: method(PolicyName=policy_name, **args))
    _log_write(sess, f"iam:Delete{cap}Policy", f"{principal_type}/{name}", policy_name)


def update_trust_policy(sess: AwsSession, role_name: str, document: Any, recheck: Recheck | None = None) -> None:
    """``iam:UpdateAssumeRolePolicy``: replaces the role's whole trust policy."""
    iam = _iam(sess)
    _retrying(
        sess,
        "iam:UpdateAssumeRolePolicy",
        lambda: iam.update_assume_role_policy(RoleName=role_name, PolicyDocument=compact_json(document)),
        recheck,
    )
    _log_write(sess, "iam:UpdateAssumeRolePolicy", f"role/{role_name}", "trust policy", document)


def create_managed_policy(
    sess: AwsSession, policy_name: str, document: Any, *, path: str = "/", recheck: Recheck | None = None
) -> str | None:
    """``iam:CreatePolicy``, marked as the tool's own (tag and description); returns its ARN (None
    when ``recheck`` found it created already)."""
    iam = _iam(sess)
    resp = _retrying(
        sess,
        "iam:CreatePolicy",
        lambda: iam.create_policy(
            PolicyName=policy_name,
            Path=path,
            PolicyDocument=compact_json(document),
            Description=TOOL_DESCRIPTION,
            Tags=[{"Key": TOOL_TAG_KEY, "Value": TOOL_TAG_VALUE}],
        ),
        recheck,
    )
    arn = None if resp is None else str(resp["Policy"]["Arn"])
    _log_write(sess, "iam:CreatePolicy", "-", arn or policy_name, document)
    return arn


def create_policy_version(
    sess: AwsSession, arn: str, document: Any, *, set_default: bool = True, recheck: Recheck | None = None
) -> str | None:
    """``iam:CreatePolicyVersion``; returns the new version id (None when ``recheck`` found it landed)."""
    iam = _iam(sess)
    resp = _retrying(
        sess,
        "iam:CreatePolicyVersion",
        lambda: iam.create_policy_version(
            PolicyArn=arn, PolicyDocument=compact_json(document), SetAsDefault=set_default
        ),
        recheck,
    )
    version = None if resp is None else str(resp["PolicyVersion"]["VersionId"])
    _log_write(sess, "iam:CreatePolicyVersion", "-", arn, document)
    return version


def delete_policy_version(sess: AwsSession, arn: str, version_id: str, recheck: Recheck | None = None) -> None:
    """``iam:DeletePolicyVersion`` (a non-default version of the tool's own policy only)."""
    iam = _iam(sess)
    _retrying(
        sess,
        "iam:DeletePolicyVersion",
        lambda: iam.delete_policy_version(PolicyArn=arn, VersionId=version_id),
        recheck,
    )
    _log_write(sess, "iam:DeletePolicyVersion", "-", f"{arn} {version_id}")


def set_default_policy_version(sess: AwsSession, arn: str, version_id: str) -> None:
    """Undo only: make an earlier version of the tool's own policy the default again."""
    iam = _iam(sess)
    _retrying(
        sess,
        "iam:SetDefaultPolicyVersion",
        lambda: iam.set_default_policy_version(PolicyArn=arn, VersionId=version_id),
    )
    _log_write(sess, "iam:SetDefaultPolicyVersion", "-", f"{arn} {version_id}")


def delete_managed_policy(sess: AwsSession, arn: str) -> None:
    """Undo only: delete a managed policy the tool created (its non-default versions first)."""
    for version in list_policy_versions(sess, arn):
        if not version["is_default"]:
            delete_policy_version(sess, arn, version["version_id"])
    iam = _iam(sess)
    _retrying(sess, "iam:DeletePolicy", lambda: iam.delete_policy(PolicyArn=arn))
    _log_write(sess, "iam:DeletePolicy", "-", arn)


def attach_policy(sess: AwsSession, principal_type: str, name: str, arn: str, recheck: Recheck | None = None) -> None:
    """``iam:AttachUserPolicy`` / ``iam:AttachRolePolicy``."""
    cap, args = _principal_args(principal_type, name)
    method = getattr(_iam(sess), f"attach_{principal_type}_policy")
    _retrying(sess, f"iam:Attach{cap}Policy", lambda: method(PolicyArn=arn, **args), recheck)
    _log_write(sess, f"iam:Attach{cap}Policy", f"{principal_type}/{name}", arn)


def detach_policy(sess: AwsSession, principal_type: str, name: str, arn: str) -> None:
    """Undo only: detach a managed policy the tool attached."""
    cap, args = _principal_args(principal_type, name)
    method = getattr(_iam(sess), f"detach_{principal_type}_policy")
    _retrying(sess, f"iam:Detach{cap}Policy", lambda: method(PolicyArn=arn, **args))
    _log_write(sess, f"iam:Detach{cap}Policy", f"{principal_type}/{name}", arn)


def credential_values(sess: AwsSession) -> tuple[str, ...]:
    """The session's access key id, secret key and token: only so that files the fix writes can be
    checked to never contain them. Empty when no credentials resolve."""
    try:
        creds = sess.boto_session.get_credentials()
        frozen = creds.get_frozen_credentials() if creds is not None else None
    except (bce.BotoCoreError, bce.ClientError):
        return ()
    if frozen is None:
        return ()
    return tuple(v for v in (frozen.access_key, frozen.secret_key, frozen.token) if v and len(v) >= 8)


__all__ = [
    "RETRY_DELAYS",
    "TOOL_DESCRIPTION",
    "TOOL_TAG_KEY",
    "TOOL_TAG_VALUE",
    "attach_policy",
    "compact_json",
    "create_managed_policy",
    "create_policy_version",
    "credential_values",
    "delete_inline_policy",
    "delete_managed_policy",
    "delete_policy_version",
    "detach_policy",
    "error_code_of",
    "get_inline_policy",
    "get_managed_policy",
    "get_policy_version_document",
    "get_trust_policy",
    "list_attached_policy_arns",
    "list_inline_policy_names",
    "list_policy_versions",
    "put_inline_policy",
    "read_inline_policies",
    "set_default_policy_version",
    "update_trust_policy",
]
