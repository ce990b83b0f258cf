"""Least privilege: a required statement narrowed to what the check verified, for the fix to write.

The guide's statements are written for every account: ``iam:PassRole`` on ``arn:aws:iam::*:role/*``,
S3 on every ``sagemaker-automated-execution-*`` bucket, KMS on a placeholder. Written as they are, the
``PassRole`` statement lets its holder hand *any* role (an administrator's included) to SageMaker or
EventBridge: a known privilege-escalation path. ``scoped_statement`` narrows each statement to the
resources the check's requests use (``requests.py``), so what the check verifies is exactly what the
fix grants:

- ``iam:PassRole``: the chosen execution role's exact ARN (the scheduler's default name when none is
  chosen, as the check does), with ``StringEquals`` on the ``iam:PassedToService`` values the guide's
  statement names;
- the artifact statements (``S3ArtifactsAccess``, ``S3ForStoringArtifacts``): each bucket of
  ``Scope.artifact_locations()`` (bucket ARN, for the bucket actions) and its objects under the prefix;
- ``KmsKeyAccess``: the exact key ARNs of ``Scope.kms_key_arns()``;
- ``TagPipelineTrainingJobs`` (the scheduler's own, not the guide's): the pipeline-run training jobs
  of the scope's account and region.

Every other statement is returned unchanged (its resources are already ``*`` only where the action
has no resource type, or tag-conditioned). ``broad_grants`` names, in plain words, what the guide's
text grants beyond that (the ``--as-guide`` warning).
"""

from __future__ import annotations

import copy
from typing import Any

from .model import Scope
from .requests import passed_to_services
from .resources import default_role_arn
from .statements import KMS_SID, PIPELINE_TAGS_SID
from .variants import ARTIFACT_SIDS

PASSROLE_ACTION = "iam:passrole"


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement.get("Action")
    return [actions] if isinstance(actions, str) else list(actions or [])


def _one_or_list(values: list[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else values


def passrole_resource(scope: Scope) -> str:
    """The role a ``PassRole`` statement is scoped to: the chosen one, else the scheduler's default."""
    return scope.role_arn or default_role_arn(scope)


def artifact_resources(scope: Scope) -> list[str]:
    """Bucket ARNs and object ARNs (under each prefix) of the scheduler's S3 locations."""
    out: list[str] = []
    for bucket, prefix in scope.artifact_locations():
        objects = f"{bucket}/{prefix.strip('/')}/*" if prefix.strip("/") else f"{bucket}/*"
        for arn in (f"arn:{scope.partition}:s3:::{bucket}", f"arn:{scope.partition}:s3:::{objects}"):
            if arn not in out:
                out.append(arn)
    return out


def scoped_statement(statement: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """A new statement: ``statement`` narrowed to ``scope`` (see the module docstring)."""
    out = copy.deepcopy(statement)
    sid = out.get("Sid")
    if any(a.lower() == PASSROLE_ACTION for a in _actions(out)):
        services = list(passed_to_services(out)) or ["sagemaker.amazonaws.com"]
        out["Resource"] = passrole_resource(scope)
        out["Condition"] = {"StringEquals": {"iam:PassedToService": _one_or_list(services)}}
    elif sid in ARTIFACT_SIDS:
        out["Resource"] = artifact_resources(scope)
    elif sid == KMS_SID and scope.kms_key_arns():
        out["Resource"] = _one_or_list(list(scope.kms_key_arns()))
    elif sid == PIPELINE_TAGS_SID:
        out["Resource"] = f"arn:{scope.partition}:sagemaker:{scope.region}:{scope.account}:training-job/pipelines-*"
    return out


def broad_grants(statements: list[dict[str, Any]]) -> list[str]:
    """Plain sentences naming what the guide's text of ``statements`` grants beyond the check's scope."""
    out: list[str] = []
    for st in statements:
        resources = st.get("Resource")
        listed = ", ".join([resources] if isinstance(resources, str) else list(resources or []))
        if any(a.lower() == PASSROLE_ACTION for a in _actions(st)):
            services = " and ".join(passed_to_services(st)) or "any service"
            out.append(
                f"{st.get('Sid')}: iam:PassRole on every role ({listed}) to {services}: whoever holds it can hand "
                "any role, an administrator's included, to that service, a known privilege-escalation path."
            )
        elif st.get("Sid") in ARTIFACT_SIDS:
            out.append(f"{st.get('Sid')}: S3 on every bucket matching {listed}, not only your scheduler's buckets.")
    return out


__all__ = ["artifact_resources", "broad_grants", "passrole_resource", "scoped_statement"]
