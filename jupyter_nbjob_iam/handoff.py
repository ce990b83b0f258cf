"""The hand-off bundle: what an administrator needs when the person may not (or cannot) write.

Built from a plan's writes, its blocked principals and its skipped statements (docs/API.md,
"handoff bundle"):

- ``documents``: the exact policy documents, one per principal and policy (for a write: its "after"
  document, which already keeps everything the principal had; for a blocked principal: the guide's
  statements it lacks);
- ``cli_commands``: the AWS CLI commands, runnable as they are (each document is written to a file
  with a quoted here-document first);
- ``cloudformation``: a YAML snippet with the same documents (``AWS::IAM::UserPolicy`` /
  ``RolePolicy`` / ``ManagedPolicy``; trust and permission sets as comments for the resources that
  own them);
- ``sso``: for an IAM Identity Center role, the permission-set route with
  ``aws sso-admin put-inline-policy-to-permission-set``;
- ``text``: all of it as one text to paste into a ticket.

Pure: no AWS call, no credentials (it only ever sees policy documents and names).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .constants import DEFAULT_POLICY_NAME

POLICY_VERSION = "2012-10-17"
_PUT = {
    "iam:PutUserPolicy": ("put-user-policy", "--user-name"),
    "iam:PutRolePolicy": ("put-role-policy", "--role-name"),
}
_ATTACH = {
    "iam:AttachUserPolicy": ("attach-user-policy", "--user-name"),
    "iam:AttachRolePolicy": ("attach-role-policy", "--role-name"),
}


def _doc(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": POLICY_VERSION, "Statement": statements}


def _pretty(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


def _file_name(*parts: str) -> str:
    return re.sub(r"[^\w.=,@+-]", "_", "-".join(p for p in parts if p)) + ".json"


def _heredoc(file_name: str, document: Any) -> str:
    return f"cat > {file_name} <<'EOF'\n{_pretty(document)}\nEOF"


def _logical_id(*parts: str) -> str:
    text = "".join(re.sub(r"[^A-Za-z0-9]", " ", p).title().replace(" ", "") for p in parts if p)
    return (text or "NotebookJobs")[:255]


def _yaml_block(document: Any, indent: int) -> str:
    # JSON is YAML's flow style: the documents stay byte-for-byte what the CLI commands send.
    pad = " " * indent
    return "\n".join(pad + line for line in _pretty(document).splitlines())


def _principal_label(principal: dict[str, Any] | None) -> str:
    if not principal:
        return "your identity"
    return f"{principal.get('type') or 'principal'} {principal.get('name') or principal.get('arn')}"


def _write_items(writes: Sequence[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """Documents, CLI commands and CloudFormation resources for the planned writes."""
    documents: list[dict[str, Any]] = []
    commands: list[str] = []
    resources: list[str] = []
    managed_users: dict[str, list[tuple[str, str]]] = {}
    for w in writes:
        p = w.get("principal") or {}
        call = w["api_call"]
        if call in _PUT:
            verb, flag = _PUT[call]
            name = _file_name(w["policy_name"], p.get("name", ""))
            documents.append(
                {"target": w["target"], "principal": p, "policy_name": w["policy_name"], "document": w["after"]}
            )
            commands.append(
                f"{_heredoc(name, w['after'])}\naws iam {verb} {flag} {p['name']} "
                f"--policy-name {w['policy_name']} --policy-document file://{name}"
            )
            kind = "UserPolicy" if p.get("type") == "user" else "RolePolicy"
            key = "UserName" if p.get("type") == "user" else "RoleName"
            resources.append(
                f"  {_logical_id(w['policy_name'], p.get('name', ''))}:\n    Type: AWS::IAM::{kind}\n"
                f"    Properties:\n      {key}: {p.get('name')}\n      PolicyName: {w['policy_name']}\n"
                f"      PolicyDocument:\n{_yaml_block(w['after'], 8)}"
            )
        elif call == "iam:UpdateAssumeRolePolicy":
            name = _file_name("trust", p.get("name", ""))
            documents.append({"target": "trust", "principal": p, "policy_name": None, "document": w["after"]})
            commands.append(
                f"{_heredoc(name, w['after'])}\naws iam update-assume-role-policy --role-name {p['name']} "
                f"--policy-document file://{name}"
            )
            resources.append(
                f"  # The trust policy belongs on the role's own AWS::IAM::Role resource ({p.get('name')}):\n"
                "  #   AssumeRolePolicyDocument:\n"
                + "\n".join("  #     " + line for line in _pretty(w["after"]).splitlines())
            )
        elif call in ("iam:CreatePolicy", "iam:CreatePolicyVersion"):
            name = _file_name(w["policy_name"])
            documents.append(
                {
                    "target": w["target"],
                    "principal": p,
                    "policy_name": w["policy_name"],
                    "policy_arn": w.get("policy_arn"),
                    "document": w["after"],
                }
            )
            if call == "iam:CreatePolicy":
                cmd = f"aws iam create-policy --policy-name {w['policy_name']} --policy-document file://{name}"
            else:
                cmd = (
                    f"aws iam create-policy-version --policy-arn {w['policy_arn']} "
                    f"--policy-document file://{name} --set-as-default"
                )
            commands.append(f"{_heredoc(name, w['after'])}\n{cmd}")
            managed_users.setdefault(w["policy_name"], [])
            resources.append(
                f"  {_logical_id(w['policy_name'])}:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
                f"      ManagedPolicyName: {w['policy_name']}\n"
                f"      {'Users' if p.get('type') == 'user' else 'Roles'}:\n        - {p.get('name')}\n"
                f"      PolicyDocument:\n{_yaml_block(w['after'], 8)}"
            )
        elif call == "iam:DeletePolicyVersion":
            commands.append(
                f"aws iam delete-policy-version --policy-arn {w['policy_arn']} --version-id {w['version_id']}"
            )
        elif call in _ATTACH:
            verb, flag = _ATTACH[call]
            commands.append(f"aws iam {verb} {flag} {p['name']} --policy-arn {w['policy_arn']}")
    return documents, commands, resources


def _sso_route(entry: Mapping[str, Any], document: dict[str, Any], account: str | None) -> dict[str, Any]:
    ps = entry.get("permission_set") or "<PERMISSION_SET_NAME>"
    file_name = _file_name(DEFAULT_POLICY_NAME, "permission-set")
    commands = "\n".join(
        [
            "# 1. The Identity Center instance, and the ARN of the permission set " + ps,
            "aws sso-admin list-instances",
            "aws sso-admin list-permission-sets --instance-arn INSTANCE_ARN",
            "aws sso-admin describe-permission-set --instance-arn INSTANCE_ARN --permission-set-arn PERMISSION_SET_ARN",
            "# 2. Its current inline policy: the put below REPLACES it, so merge these statements into it first",
            "aws sso-admin get-inline-policy-for-permission-set --instance-arn INSTANCE_ARN "
            "--permission-set-arn PERMISSION_SET_ARN",
            _heredoc(file_name, document),
            "aws sso-admin put-inline-policy-to-permission-set --instance-arn INSTANCE_ARN "
            f"--permission-set-arn PERMISSION_SET_ARN --inline-policy file://{file_name}",
            "# 3. Push the change to the account's role",
            "aws sso-admin provision-permission-set --instance-arn INSTANCE_ARN "
            f"--permission-set-arn PERMISSION_SET_ARN --target-type AWS_ACCOUNT --target-id {account or 'ACCOUNT_ID'}",
        ]
    )
    return {
        "permission_set_name": entry.get("permission_set"),
        "instructions": (
            f"Your role belongs to IAM Identity Center (permission set {ps}); IAM refuses direct changes to "
            "it. An Identity Center administrator adds the statements below to that permission set's inline "
            "policy (keeping what it has), then provisions it to the account. The role picks the change up "
            "at your next sign-in."
        ),
        "cli_commands": commands,
    }


def build_handoff(
    *,
    writes: Sequence[Mapping[str, Any]],
    blocked: Sequence[Mapping[str, Any]] | None = None,
    skipped: Sequence[Mapping[str, Any]] | None = None,
    account: str | None = None,
    policy_name: str = DEFAULT_POLICY_NAME,
) -> dict[str, Any]:
    """The bundle for an administrator (docs/API.md, "handoff bundle")."""
    blocked = blocked or []
    skipped = skipped or []
    documents, commands, resources = _write_items(writes)
    sso: dict[str, Any] | None = None
    notes: list[str] = []
    for entry in blocked:
        label = _principal_label(entry.get("principal"))
        notes.append(f"{label}: {entry.get('reason')}")
        if entry.get("target") == "trust":
            services = entry.get("services") or []
            notes.append(f"The role's trust policy must let {', '.join(services)} call sts:AssumeRole.")
            continue
        statements = entry.get("statements") or []
        if not statements:
            continue
        document = _doc(statements)
        p = entry.get("principal") or {}
        documents.append(
            {"target": entry.get("target"), "principal": p, "policy_name": policy_name, "document": document}
        )
        if entry.get("kind") == "sso-role":
            sso = _sso_route(entry, document, account)
            resources.append(
                f"  # In the template that defines the permission set {entry.get('permission_set') or ''}"
                " (AWS::SSO::PermissionSet), merge into InlinePolicy:\n"
                + "\n".join("  #   " + line for line in _pretty(document).splitlines())
            )
        elif p.get("type") in ("user", "role"):
            verb, flag = _PUT["iam:PutUserPolicy" if p["type"] == "user" else "iam:PutRolePolicy"]
            name = _file_name(policy_name, p.get("name", ""))
            commands.append(
                f"{_heredoc(name, document)}\naws iam {verb} {flag} {p['name']} --policy-name {policy_name} "
                f"--policy-document file://{name}"
            )
    for entry in skipped:
        if entry.get("status") in ("conditional", "unknown"):
            continue
        notes.append(f"{entry.get('target')} {entry.get('sid')}: {entry.get('reason')}")
        if entry.get("status") != "denied" and entry.get("statement"):
            documents.append(
                {
                    "target": entry.get("target"),
                    "principal": None,
                    "policy_name": None,
                    "document": _doc([entry["statement"]]),
                }
            )
    cli = "\n\n".join(commands)
    cloudformation = "Resources:\n" + "\n".join(resources) if resources else ""
    summary = _summary(writes, blocked, notes)
    return {
        "summary": summary,
        "documents": documents,
        "cli_commands": cli,
        "cloudformation": cloudformation,
        "sso": sso,
        "notes": notes,
        "text": _text(summary, documents, cli, cloudformation, sso, notes),
    }


def _summary(writes: Sequence[Mapping[str, Any]], blocked: Sequence[Mapping[str, Any]], notes: list[str]) -> str:
    parts: list[str] = []
    if writes:
        parts.append(
            f"SageMaker notebook jobs need {len(writes)} IAM change{'s' if len(writes) != 1 else ''}: "
            + " ".join(w["summary"] for w in writes)
        )
    if blocked:
        parts.append(
            f"{len(blocked)} part{'s' if len(blocked) != 1 else ''} cannot be written by the person themselves."
        )
    if not parts:
        parts.append("No IAM change is needed for SageMaker notebook jobs." if not notes else "See the notes below.")
    return " ".join(parts)


def _text(
    summary: str,
    documents: list[dict[str, Any]],
    cli: str,
    cloudformation: str,
    sso: dict[str, Any] | None,
    notes: list[str],
) -> str:
    out = ["# IAM changes for SageMaker notebook jobs (from jupyter-nbjob-iam)", "", summary, ""]
    if notes:
        out += ["## Notes", *[f"- {n}" for n in notes], ""]
    for d in documents:
        who = _principal_label(d.get("principal"))
        what = d.get("policy_name") or ("trust policy" if d.get("target") == "trust" else "statements")
        out += [f"## {what} for {who}", _pretty(d["document"]), ""]
    if cli:
        out += ["## AWS CLI", cli, ""]
    if sso:
        out += ["## IAM Identity Center (permission set)", sso["instructions"], sso["cli_commands"], ""]
    if cloudformation:
        out += ["## CloudFormation", cloudformation, ""]
    return "\n".join(out).rstrip() + "\n"
