"""The AWS guide's four policies (package data, verbatim) as ``RequiredStatement`` values.

Data files (``catalog/data/``), copied verbatim from "Install policies and permissions for local
Jupyter environments" (Amazon SageMaker developer guide):

- ``user_policy.json``  the caller's policy, 9 statements (target "identity")
- ``kms_policy.json``   the optional KMS policy, 1 statement without Sid, Resource "your_KMS_key_ARN"
- ``trust_policy.json`` the execution role's trust policy, 1 statement without Sid
- ``role_policy.json``  the execution role's policy, 5 statements (target "role")

One more file is this project's, not the guide's: ``role_policy_scheduler.json``, what the scheduler's
own code paths make the execution role do beyond the guide's role policy (target "role", appended after
the guide's five). A scheduled run's pipeline creates its training job *as the role*, named
``pipelines-<execution>-<step>-…`` and tagged with the step's six tags; creating a resource with tags is
also authorised as ``sagemaker:AddTags`` on it (a dependent action), and the guide's role policy has no
``AddTags``, so without it every scheduled run fails. The statement is scoped to those jobs' names and
carries no ``sagemaker:TaggingAction`` condition: what the check cannot verify against real AWS, the fix
must not write as a condition that could refuse the run.

Each identity-policy file is checked with the evaluator's ``validate_policy`` when it is first loaded
(when ``jupyter_nbjob_iam.policy`` is installed; the KMS one with a real key ARN in place of the
placeholder), the trust policy structurally (``validate_policy`` is for identity policies), so a damaged
data file fails loudly, never silently.
"""

from __future__ import annotations

import copy
import functools
import importlib.util
import json
import re
from collections.abc import Callable
from importlib import resources
from typing import Any

from ..errors import InputError, NbJobIamError
from .model import TARGETS, RequiredStatement, TrustRequirement

DATA_FILES = {
    "identity": "user_policy.json",
    "kms": "kms_policy.json",
    "trust": "trust_policy.json",
    "role": "role_policy.json",
}
# Statements the scheduler needs beyond the guide (see the module docstring), by target.
SCHEDULER_FILES = {"role": "role_policy_scheduler.json"}

KMS_PLACEHOLDER = "your_KMS_key_ARN"
EXAMPLE_KMS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KMS_SID = "KmsKeyAccess"
PIPELINE_TAGS_SID = "TagPipelineTrainingJobs"  # the scheduler's own role statement
TRUST_SID = "TrustRelationship"
TRUST_SERVICES = ("sagemaker.amazonaws.com", "events.amazonaws.com")

# Statements only scheduler versions before 3.0 use: they download their notebook runner from the
# AWS-owned bucket sagemakerheadlessexecution-prod-<region>.
LEGACY_SIDS = frozenset({"S3DriverAccess"})

# The guide's KMS policy grants two wildcard actions. What S3 (SSE-KMS objects) and SageMaker (the
# encrypted training volume and output) call with a customer key is the plain data-key and re-encrypt
# family; the asymmetric data-key-pair actions that "kms:GenerateDataKey*" also covers
# (GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext) are used by neither, so they are not checked.
KMS_EXPANSION: dict[str, tuple[str, ...]] = {
    "kms:ReEncrypt*": ("kms:ReEncryptFrom", "kms:ReEncryptTo"),
    "kms:GenerateDataKey*": ("kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"),
}

WHY: dict[tuple[str, str], str] = {
    ("identity", "EventBridgeSchedule"): (
        "Lets you create, pause, resume and delete the EventBridge schedule that starts a scheduled notebook job."
    ),
    ("identity", "IAMPassrole"): (
        "Lets you hand the execution role to SageMaker, which runs the job, and to EventBridge, which "
        "starts it on schedule."
    ),
    ("identity", "IAMListRoles"): (
        "Lets the scheduler list your IAM roles so you can pick the execution role for a job."
    ),
    ("identity", "S3ArtifactsAccess"): (
        "Lets the scheduler create its S3 bucket, upload your notebook there and fetch the results."
    ),
    ("identity", "S3DriverAccess"): (
        "Lets scheduler versions before 3.0 download their notebook runner from an AWS-owned S3 bucket."
    ),
    ("identity", "SagemakerJobs"): (
        "Lets you start, watch, stop and delete the SageMaker training jobs and pipelines that run your notebooks."
    ),
    ("identity", "AllowSearch"): "Lets the scheduler find your notebook jobs so it can list them.",
    ("identity", "SagemakerTags"): (
        "Lets the scheduler read and update the labels (tags) it puts on your notebook jobs."
    ),
    ("identity", "ECRImage"): ("Lets you use the container image that SageMaker runs your notebook in."),
    ("role", "PassroleForJobCreation"): (
        "Lets a scheduled job's pipeline hand this role on to the training job that runs your notebook."
    ),
    ("role", "S3ForStoringArtifacts"): (
        "Lets the job read your notebook from S3 and write the executed notebook and outputs back."
    ),
    ("role", "S3DriverAccess"): (
        "Lets jobs created by scheduler versions before 3.0 download their notebook runner from an AWS-owned S3 bucket."
    ),
    ("role", "SagemakerJobs"): (
        "Lets EventBridge start the job's pipeline on schedule, and the pipeline start the training job "
        "that runs your notebook."
    ),
    ("role", "ECRImage"): "Lets the job download the container image your notebook runs in.",
    ("role", PIPELINE_TAGS_SID): (
        "Lets a scheduled job's pipeline label the training job it starts, or SageMaker refuses to "
        "create it (the AWS guide omits this)."
    ),
    ("kms", KMS_SID): ("Lets the job encrypt and decrypt its files and its storage with your own KMS key."),
}

_KMS_ARN_RE = re.compile(
    r"^arn:(?P<partition>aws(?:-[a-z]+)*):kms:(?P<region>[a-z]{2}(?:-[a-z]+)+-\d{1,2}):"
    r"(?P<account>\d{12}):(?P<kind>key|alias)/(?P<name>[A-Za-z0-9/_-]{1,256})$",
    re.ASCII,
)
_KEY_ID_RE = re.compile(r"^[A-Za-z0-9-]{1,128}$", re.ASCII)


def validate_kms_key_arn(arn: object, *, field: str = "kms_key_arn") -> re.Match[str]:
    """Check a KMS key ARN; return its regex match (groups partition, region, account, kind, name).
    Raises ``InputError`` with a plain-words message otherwise.

    Accepted: ``arn:<partition>:kms:<region>:<12-digit account>:key/<key id>`` only. An alias ARN is
    refused: in a policy's ``Resource`` an alias ARN matches the alias, never the key it points to, so
    a statement naming it grants no key operation (a check against it would be a false "ok", and a fix
    would write a statement that grants nothing). Quotes, wildcards and whitespace are never accepted:
    the ARN ends up in a policy document.
    """
    example = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    if not isinstance(arn, str) or not arn:
        raise InputError(
            f"A KMS key ARN is needed here, such as {example}.",
            details={"field": field, "value": None if arn is None else repr(arn)},
        )
    m = _KMS_ARN_RE.fullmatch(arn)
    if m and m["kind"] == "key" and not _KEY_ID_RE.fullmatch(m["name"]):
        m = None
    if m and m["kind"] == "alias" and (m["name"].endswith("/") or "//" in m["name"]):
        m = None
    if m and m["kind"] == "alias":
        raise InputError(
            f"{arn} is a KMS alias. IAM policies grant key operations on the key's own ARN, not on an "
            f"alias, so give the key ARN ({example}); `aws kms describe-key --key-id {m['kind']}/{m['name']}` "
            "prints it.",
            error_code="kms_alias_not_supported",
            details={"field": field, "value": arn},
        )
    if not m:
        raise InputError(
            f"The KMS key ARN {arn!r} is not valid. Use the key's full ARN, such as {example} "
            "(no quotes, spaces or wildcards).",
            details={"field": field, "value": arn},
        )
    return m


def _validator() -> Callable[[object], list[str]] | None:
    """``jupyter_nbjob_iam.policy.validate_policy`` when the evaluator package is installed, else None.

    Only a missing package is tolerated; an evaluator that is present but fails to import is a bug and
    the error propagates.
    """
    if importlib.util.find_spec("jupyter_nbjob_iam.policy") is None:
        return None
    from ..policy import validate_policy

    return validate_policy


def _check_document(doc: dict[str, Any], name: str) -> None:
    validate = _validator()
    if validate is None:
        return
    problems = validate(doc)
    if problems:
        raise NbJobIamError(
            f"The packaged policy {name} is not a valid IAM policy: " + "; ".join(problems),
            error_code="catalog_invalid",
            details={"file": name, "problems": list(problems)},
        )


def _check_trust_document(doc: dict[str, Any], name: str) -> None:
    """``validate_policy`` checks identity policies (no Principal, a Resource required), so a trust
    policy is checked here, structurally: what the fix merges into a role's trust policy."""
    problems: list[str] = []
    if doc.get("Version") != "2012-10-17":
        problems.append("Version is not 2012-10-17")
    statements = doc.get("Statement")
    if not isinstance(statements, list) or len(statements) != 1:
        problems.append("expected exactly one statement")
    else:
        st = statements[0]
        if st.get("Effect") != "Allow":
            problems.append("Effect is not Allow")
        if st.get("Action") != "sts:AssumeRole":
            problems.append("Action is not sts:AssumeRole")
        if "Resource" in st or "NotResource" in st:
            problems.append("a trust statement has no Resource")
        services = (st.get("Principal") or {}).get("Service")
        if not isinstance(services, list) or not all(
            isinstance(x, str) and x.endswith(".amazonaws.com") for x in services
        ):
            problems.append("Principal.Service is not a list of service principals")
    if problems:
        raise NbJobIamError(
            f"The packaged trust policy {name} is not valid: " + "; ".join(problems),
            error_code="catalog_invalid",
            details={"file": name, "problems": problems},
        )


@functools.cache
def _load(kind: str, name: str | None = None) -> dict[str, Any]:
    name = name or DATA_FILES[kind]
    text = resources.files(__package__).joinpath("data").joinpath(name).read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(text)
    if kind == "trust":
        _check_trust_document(doc, name)
        return doc
    # Validate what will really be written: the KMS template with a well-formed key ARN in place of the
    # guide's placeholder (which is not an ARN and is rightly rejected by the evaluator's validator).
    checked = doc
    if kind == "kms":
        checked = copy.deepcopy(doc)
        checked["Statement"][0]["Resource"] = EXAMPLE_KMS_KEY_ARN
    _check_document(checked, name)
    return doc


def guide_policy(kind: str) -> dict[str, Any]:
    """A fresh copy of one of the guide's policies as packaged: "identity", "role", "kms" or "trust"."""
    if kind not in DATA_FILES:
        raise InputError(f"Unknown policy {kind!r}: expected one of {', '.join(DATA_FILES)}.")
    return copy.deepcopy(_load(kind))


def _actions_of(statement: dict[str, Any]) -> tuple[str, ...]:
    raw = statement["Action"]
    listed = [raw] if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for a in listed:
        if "*" in a or "?" in a:
            if a not in KMS_EXPANSION:
                raise NbJobIamError(
                    f"The catalog has no expansion for the wildcard action {a}.",
                    error_code="catalog_invalid",
                )
            out.extend(KMS_EXPANSION[a])
        else:
            out.append(a)
    return tuple(out)


def required_statements(
    target: str, kms_key_arn: str | list[str] | tuple[str, ...] | None = None
) -> list[RequiredStatement]:
    """The statements one target needs: "identity" (the guide's 9), "role" (the guide's 5, then the
    scheduler's own: 6) or "kms" (1, needs the key).

    For "kms", ``kms_key_arn`` is one key ARN or the list of them (the scheduler's output and volume
    keys): one statement ``KmsKeyAccess`` whose ``Resource`` is the key ARN, or the list of key ARNs.
    Fresh copies on every call. ``InputError`` for an unknown target or a malformed KMS key ARN.
    """
    if target not in TARGETS:
        hint = " (the trust policy is trust_requirement())" if target == "trust" else ""
        raise InputError(
            f"Unknown target {target!r}: expected one of {', '.join(TARGETS)}{hint}.",
            details={"field": "target", "value": str(target)},
        )
    doc = copy.deepcopy(_load(target))
    out: list[RequiredStatement] = []
    if target == "kms":
        keys = list(dict.fromkeys(kms_key_arn)) if isinstance(kms_key_arn, list | tuple) else [kms_key_arn]
        if not keys:
            validate_kms_key_arn(None)
        for key in keys:
            validate_kms_key_arn(key)
        guide = doc["Statement"][0]
        statement: dict[str, Any] = {"Sid": KMS_SID}
        statement.update(guide)
        statement["Resource"] = keys[0] if len(keys) == 1 else keys
        _check_document({"Version": doc["Version"], "Statement": [statement]}, "KMS policy")
        out.append(
            RequiredStatement(
                target="kms",
                sid=KMS_SID,
                statement=statement,
                actions=_actions_of(statement),
                legacy=False,
                why=WHY[("kms", KMS_SID)],
            )
        )
        return out
    extra = SCHEDULER_FILES.get(target)
    if extra:
        doc["Statement"].extend(copy.deepcopy(_load(target, extra))["Statement"])
    for statement in doc["Statement"]:
        sid = statement["Sid"]
        out.append(
            RequiredStatement(
                target=target,
                sid=sid,
                statement=statement,
                actions=_actions_of(statement),
                legacy=sid in LEGACY_SIDS,
                why=WHY[(target, sid)],
            )
        )
    return out


def trust_requirement() -> TrustRequirement:
    """The execution role's trust: sagemaker.amazonaws.com and events.amazonaws.com may assume it.

    ``statement`` is the guide's trust statement verbatim (it has no Sid; ``sid`` names it in reports).
    """
    doc = copy.deepcopy(_load("trust"))
    return TrustRequirement(sid=TRUST_SID, services=TRUST_SERVICES, statement=doc["Statement"][0])
