"""IAM's size rule: characters of the document, whitespace between JSON tokens not counted."""

from __future__ import annotations

import json

import pytest

from jupyter_nbjob_iam.catalog import guide_policy
from jupyter_nbjob_iam.catalog.statements import EXAMPLE_KMS_KEY_ARN
from jupyter_nbjob_iam.fix import aggregate_size, policy_size


def test_the_guides_policies_have_the_sizes_FACTS_states():
    # Given the guide's user policy and its KMS policy with a real key ARN
    user = guide_policy("identity")
    kms = guide_policy("kms")
    kms["Statement"][0]["Resource"] = EXAMPLE_KMS_KEY_ARN
    # When they are measured
    # Then the user policy alone is 1,898 characters and both together pass a user's 2,048 budget
    assert policy_size(user) == 1898
    assert aggregate_size([user, kms]) > 2048


@pytest.mark.parametrize("indent", [None, 0, 2, 8, "\t"])
def test_whitespace_between_tokens_is_not_counted(indent):
    # Given the same document pretty-printed in several ways
    document = guide_policy("role")
    text = json.dumps(document, indent=indent)
    # When it is measured as text and as a parsed document
    # Then every layout gives the compact size
    compact = len(json.dumps(document, separators=(",", ":")))
    assert policy_size(text) == compact
    assert policy_size(document) == compact


def test_whitespace_inside_strings_is_counted_which_can_only_overestimate():
    # Given a document whose string holds spaces (AWS does not say whether those count)
    document = {"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:Get Object"}]}
    # Then they are counted: the estimate is never below what IAM can count
    assert policy_size(document) == len(json.dumps(document, separators=(",", ":")))


def test_a_latin1_character_counts_once_not_as_an_escape():
    # Given a document with a character above ASCII (IAM allows up to U+00FF)
    document = {"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:é"}]}
    # Then it counts one character, not six (\u00e9)
    assert policy_size(document) == len(json.dumps(document, separators=(",", ":"), ensure_ascii=False))
    assert policy_size(None) == 0
