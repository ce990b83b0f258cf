"""Builders shared by the fix tests (imported as a plain module): hand-made check reports, policy
documents, and a recorder of the IAM calls a session makes."""

from __future__ import annotations

import collections
import json
import threading
from typing import Any

from jupyter_nbjob_iam.catalog import required_statements, trust_requirement

ACCOUNT = "123456789012"
REGION = "us-east-1"
WRITE_PREFIXES = ("Put", "Create", "Delete", "Attach", "Detach", "Update", "Set")


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(*actions: str, resource: str = "*", sid: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": "Allow", "Action": list(actions), "Resource": resource}
    if sid:
        out["Sid"] = sid
    return out


def text(document: dict[str, Any]) -> str:
    return json.dumps(document)


TRUST_SAGEMAKER = doc(
    {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}
)


def report(
    *,
    identity_arn: str,
    kind: str = "user",
    role_arn: str | None = None,
    statuses: dict[str, dict[str, str]] | None = None,
    missing_services: tuple[str, ...] = ("events.amazonaws.com",),
    kms_key_arn: str | None = None,
    identity_editable: bool | None = True,
    role_editable: bool = True,
    decided_by: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """A check report as ``run_check(...).to_json()`` gives it, every statement ``ok`` unless
    ``statuses`` says otherwise (``{target: {sid: status}}``)."""
    statuses = statuses or {}
    decided_by = decided_by or {}

    def stmt(target: str, sid: str, statement: dict[str, Any], legacy: bool = False) -> dict[str, Any]:
        status = statuses.get(target, {}).get(sid, "ok")
        return {
            "sid": sid,
            "status": status,
            "detail": f"{sid} is {status}",
            "why": "",
            "legacy": legacy,
            "missing_actions": [],
            "missing_services": list(missing_services) if target == "trust" and status != "ok" else [],
            "unknown_keys": ["aws:SourceIp"] if status == "conditional" else [],
            "decided_by": decided_by.get(sid, []),
            "statement": statement,
        }

    targets = [
        {
            "target": "identity",
            "principal_arn": identity_arn,
            "statements": [stmt("identity", s.sid, s.statement, s.legacy) for s in required_statements("identity")],
        }
    ]
    role = None
    if role_arn:
        trust = trust_requirement()
        targets.append(
            {"target": "trust", "principal_arn": role_arn, "statements": [stmt("trust", trust.sid, trust.statement)]}
        )
        targets.append(
            {
                "target": "role",
                "principal_arn": role_arn,
                "statements": [stmt("role", s.sid, s.statement, s.legacy) for s in required_statements("role")],
            }
        )
        role = {
            "arn": role_arn,
            "name": role_arn.rsplit("/", 1)[1],
            "editable": role_editable,
            "not_editable_reason": None if role_editable else "not editable",
            "trusts_sagemaker": True,
            "trusts_events": False,
        }
    if kms_key_arn:
        (kms,) = required_statements("kms", kms_key_arn)
        targets.append(
            {"target": "kms", "principal_arn": identity_arn, "statements": [stmt("kms", kms.sid, kms.statement)]}
        )
    ok = all(s["status"] == "ok" for t in targets for s in t["statements"] if not s["legacy"])
    return {
        "ok": ok,
        "engine": "local",
        "account": ACCOUNT,
        "region": REGION,
        "profile": None,
        "identity": {
            "arn": identity_arn,
            "kind": kind,
            "principal_arn": identity_arn if kind not in ("root", "federated-user") else None,
            "editable": identity_editable,
            "not_editable_reason": None if identity_editable else "not editable",
        },
        "role": role,
        "targets": targets,
        "notes": [],
    }


class IamCalls:
    """Records every IAM operation a session's client calls (botocore ``before-call``)."""

    def __init__(self) -> None:
        self.calls: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()

    def __call__(self, model: Any, **_: Any) -> None:
        with self._lock:
            self.calls[model.name] += 1

    @property
    def writes(self) -> dict[str, int]:
        return {k: v for k, v in self.calls.items() if k.startswith(WRITE_PREFIXES)}


def record_iam(session: Any) -> IamCalls:
    calls = IamCalls()
    session.client("iam").meta.events.register("before-call.iam", calls)
    return calls


def statuses(report_json: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {t["target"]: {s["sid"]: s["status"] for s in t["statements"]} for t in report_json["targets"]}


def not_ok(report_json: dict[str, Any]) -> dict[str, str]:
    """``{"target/sid": status}`` of every statement that counts and is not ok."""
    return {
        f"{t['target']}/{s['sid']}": s["status"]
        for t in report_json["targets"]
        for s in t["statements"]
        if s["status"] != "ok" and not s["legacy"]
    }


def padding_policy(max_size: int) -> dict[str, Any]:
    """An inline policy of unrelated statements as close to ``max_size`` characters as it gets."""
    from jupyter_nbjob_iam.fix import policy_size

    statements: list[dict[str, Any]] = []
    while True:
        i = len(statements)
        candidate = statements + [allow(f"s3:GetObject{i:03d}", resource=f"arn:aws:s3:::bucket-{i:03d}/*")]
        if policy_size(doc(*candidate)) > max_size:
            return doc(*statements)
        statements = candidate
