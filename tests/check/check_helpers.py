"""Policy builders and constants shared by the check tests (imported as a plain module)."""

from __future__ import annotations

import json
from typing import Any

from jupyter_nbjob_iam.catalog import guide_policy

ACCOUNT = "123456789012"
REGION = "us-east-1"
BUCKET = f"sagemaker-automated-execution-{ACCOUNT}-{REGION}"


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(*actions: str, resource: str | list[str] = "*", condition: dict | None = None, sid: str | None = None):
    st: dict[str, Any] = {"Effect": "Allow", "Action": list(actions), "Resource": resource}
    if condition:
        st["Condition"] = condition
    if sid:
        st["Sid"] = sid
    return st


def deny(*actions: str, resource: str | list[str] = "*", condition: dict | None = None, sid: str | None = None):
    st = allow(*actions, resource=resource, condition=condition, sid=sid)
    st["Effect"] = "Deny"
    return st


def trust(*services: str, account_root: bool = True) -> str:
    """A trust policy for ``services``, plus the account root (so the tests can assume the role)."""
    statements: list[dict[str, Any]] = []
    if services:
        statements.append({"Effect": "Allow", "Principal": {"Service": list(services)}, "Action": "sts:AssumeRole"})
    if account_root:
        statements.append(
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
        )
    return doc(*statements)


GUIDE_USER = json.dumps(guide_policy("identity"))
GUIDE_ROLE = json.dumps(guide_policy("role"))
BOTH = ("sagemaker.amazonaws.com", "events.amazonaws.com")
EVERYTHING = doc(allow("*"))
