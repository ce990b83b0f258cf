"""Scenes, a snapshot of moto's IAM state, and a REST caller for the hardening tests (a plain module)."""

from __future__ import annotations

import json
from typing import Any

from tornado.httpclient import HTTPClientError

from jupyter_nbjob_iam.catalog import guide_policy

ACCOUNT = "123456789012"
ROLE = "SagemakerJupyterSchedulerRole"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/service-role/{ROLE}"


def trust(*services: str) -> dict[str, Any]:
    """A trust policy letting ``services`` assume the role."""
    principal = {"Service": services[0] if len(services) == 1 else list(services)}
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}],
    }


TRUST_SAGEMAKER = trust("sagemaker.amazonaws.com")


def doc(*actions: str) -> str:
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]}
    )


def seed(iam: Any, *, user_inline: dict[str, str] | None = None, role_trust: dict | None = None) -> dict[str, str]:
    """The usual gaps: user ``ada`` (``/notebook-users/``) with none of the guide's statements, and the
    execution role trusting SageMaker only. Returns ada's access key."""
    iam.create_user(UserName="ada", Path="/notebook-users/")
    for name, document in (user_inline or {}).items():
        iam.put_user_policy(UserName="ada", PolicyName=name, PolicyDocument=document)
    iam.create_role(
        RoleName=ROLE, Path="/service-role/", AssumeRolePolicyDocument=json.dumps(role_trust or TRUST_SAGEMAKER)
    )
    return iam.create_access_key(UserName="ada")["AccessKey"]


def seed_rich(iam: Any) -> dict[str, str]:
    """``seed`` plus one of everything a check reads: ada has an inline policy, an attached customer
    managed policy and a group with an inline and an attached policy; the role has an inline and an
    attached policy. Returns ada's access key."""
    arn = iam.create_policy(PolicyName="Notebooks", PolicyDocument=doc("sagemaker:Describe*"))["Policy"]["Arn"]
    keys = seed(iam, user_inline={"ada-own": doc("sagemaker:ListTrainingJobs")})
    iam.attach_user_policy(UserName="ada", PolicyArn=arn)
    iam.create_group(GroupName="data-science")
    iam.add_user_to_group(GroupName="data-science", UserName="ada")
    iam.put_group_policy(GroupName="data-science", PolicyName="team", PolicyDocument=doc("s3:ListBucket"))
    iam.attach_group_policy(GroupName="data-science", PolicyArn=arn)
    iam.put_role_policy(RoleName=ROLE, PolicyName="role-own", PolicyDocument=doc("s3:GetObject"))
    iam.attach_role_policy(RoleName=ROLE, PolicyArn=arn)
    return keys


def big_inline_policy() -> str:
    """An inline policy large enough that the guide's user statements no longer fit beside it in the
    2,048-character user budget, so the fix takes the customer-managed-policy route."""
    statements = [
        {"Sid": f"Read{i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::bucket-{i}/*"}
        for i in range(12)
    ]
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


# -- moto's IAM state ---------------------------------------------------------------------------


def _pages(iam: Any, method: str, key: str, **params: Any) -> list[Any]:
    return [item for page in iam.get_paginator(method).paginate(**params) for item in page[key]]


def _principal(iam: Any, kind: str, name: str) -> dict[str, Any]:
    cap = kind.capitalize()
    inline = {
        p: getattr(iam, f"get_{kind}_policy")(**{f"{cap}Name": name, "PolicyName": p})["PolicyDocument"]
        for p in _pages(iam, f"list_{kind}_policies", "PolicyNames", **{f"{cap}Name": name})
    }
    attached = sorted(
        p["PolicyArn"]
        for p in _pages(iam, f"list_attached_{kind}_policies", "AttachedPolicies", **{f"{cap}Name": name})
    )
    return {"inline": inline, "attached": attached}


def iam_state(iam: Any) -> dict[str, Any]:
    """Everything the extension could change: each user's, role's and group's inline and attached
    policies, each role's trust policy, and every customer managed policy with all its versions."""
    state: dict[str, Any] = {"users": {}, "roles": {}, "groups": {}, "policies": {}}
    for user in _pages(iam, "list_users", "Users"):
        state["users"][user["UserName"]] = _principal(iam, "user", user["UserName"])
    for role in _pages(iam, "list_roles", "Roles"):
        entry = _principal(iam, "role", role["RoleName"])
        entry["trust"] = role["AssumeRolePolicyDocument"]
        state["roles"][role["RoleName"]] = entry
    for group in _pages(iam, "list_groups", "Groups"):
        state["groups"][group["GroupName"]] = _principal(iam, "group", group["GroupName"])
    for policy in _pages(iam, "list_policies", "Policies", Scope="Local"):
        arn = policy["Arn"]
        versions = {
            v["VersionId"]: iam.get_policy_version(PolicyArn=arn, VersionId=v["VersionId"])["PolicyVersion"]["Document"]
            for v in _pages(iam, "list_policy_versions", "Versions", PolicyArn=arn)
        }
        state["policies"][arn] = {"default": policy["DefaultVersionId"], "versions": versions}
    return state


def with_writes(state: dict[str, Any], writes: list[dict[str, Any]]) -> dict[str, Any]:
    """``state`` as it must be after exactly ``writes`` (plan writes) landed: the test's oracle."""
    out = json.loads(json.dumps(state))
    for w in writes:
        call, p = w["api_call"], w.get("principal") or {}
        where = out["users" if p.get("type") == "user" else "roles"].get(p.get("name"), {})
        if call in ("iam:PutUserPolicy", "iam:PutRolePolicy"):
            where["inline"][w["policy_name"]] = w["after"]
        elif call == "iam:UpdateAssumeRolePolicy":
            where["trust"] = w["after"]
        elif call in ("iam:AttachUserPolicy", "iam:AttachRolePolicy"):
            where["attached"] = sorted({*where["attached"], w["policy_arn"]})
        elif call == "iam:CreatePolicy":
            out["policies"][w["policy_arn"]] = {"default": "v1", "versions": {"v1": w["after"]}}
        else:
            raise AssertionError(f"the oracle does not know {call}")
    return out


def guide_user_sids() -> set[str]:
    return {s["Sid"] for s in guide_policy("identity")["Statement"]}


# -- REST ---------------------------------------------------------------------------------------


async def rest(jp_fetch: Any, method: str, path: str, body: Any = None, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    """``(status, JSON body)`` of one call to ``/nbjob-iam/<path>``; error statuses do not raise."""
    if method == "POST":
        kwargs["body"] = body if isinstance(body, str | bytes) else json.dumps(body if body is not None else {})
    try:
        response = await jp_fetch("nbjob-iam", path, method=method, request_timeout=120, **kwargs)
    except HTTPClientError as exc:
        if exc.response is None:
            raise
        response = exc.response
    text = response.body.decode("utf-8", "replace")
    try:
        payload = json.loads(text) if text else {}
    except ValueError:
        payload = {"_raw": text}
    return response.code, payload
