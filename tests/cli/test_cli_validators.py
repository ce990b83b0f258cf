"""The CLI parses its flags with the REST API's validators: it accepts and refuses the same inputs,
and its errors name the flag the person typed."""

from __future__ import annotations

import argparse

import pytest

from jupyter_nbjob_iam.cli import FLAGS, check_params, main
from jupyter_nbjob_iam.errors import InputError
from jupyter_nbjob_iam.models import parse_check


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["--region", "mars-north-1x"], "region"),
        (["--profile", "bad profile!"], "profile"),
        (["--role", "a" * 5000], "role_arn"),
        (["--kms-key-arn", "arn:aws:kms:us-east-1:1:key/\x07"], "kms_key_arn"),
    ],
)
def test_check_flags_are_refused_exactly_where_the_rest_api_refuses(aws_env, capsys, argv, field):
    # Given a flag value the REST API refuses for that field
    body = {FLAGS_TO_FIELDS[argv[0]]: argv[1]}
    with pytest.raises(InputError) as rest:
        parse_check(body)
    assert rest.value.details["field"] == field
    # When the CLI gets it
    code = main(["check", *argv])
    # Then it exits 2 before any AWS call, with the REST message naming the flag instead of the field
    err = capsys.readouterr().err
    assert code == 2
    assert FLAGS[field] in err and f"`{field}`" not in err
    assert err.count("\n") == 1


FLAGS_TO_FIELDS = {flag: field for field, flag in FLAGS.items()}


def test_a_region_of_a_newer_partition_is_accepted_by_both():
    # Given a region whose prefix has more than two letters (the eusc partition)
    args = argparse.Namespace(profile=None, region="eusc-de-east-1", role=None, kms_key_arn=None, engine="auto")
    # Then the REST API and the CLI both take it (the session and the catalog use the same pattern)
    assert parse_check({"region": "eusc-de-east-1"}).region == "eusc-de-east-1"
    assert check_params(args).region == "eusc-de-east-1"
