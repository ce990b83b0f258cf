"""Profiles, region resolution (the scheduler's order), clients: offline except where noted."""

from __future__ import annotations

import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from jupyter_nbjob_iam.aws import AwsSession, list_profiles, resolve_context, resolve_region
from jupyter_nbjob_iam.errors import CredentialsError, InputError

CONFIG = """
[default]
region = eu-west-1

[profile dev]
region = ap-southeast-2

[profile noregion]
output = json
"""
CREDENTIALS = """
[credsonly]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
"""


@pytest.fixture
def profiles(aws_env, monkeypatch, tmp_path):
    """A config file with three profiles and a credentials file with a fourth."""
    import os

    (tmp_path / "aws_config").write_text(CONFIG)
    (tmp_path / "aws_credentials").write_text(CREDENTIALS)
    assert os.environ["AWS_CONFIG_FILE"] == str(tmp_path / "aws_config")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    return tmp_path


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test on any attempt to open a socket."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network used: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_list_profiles_reads_config_and_credentials_files_default_first(profiles):
    assert list_profiles() == ["default", "credsonly", "dev", "noregion"]


@pytest.mark.parametrize(
    ("env", "profile", "explicit", "expected"),
    [
        # explicit argument beats everything
        (
            {"AWS_REGION": "us-west-1", "AWS_DEFAULT_REGION": "sa-east-1"},
            "dev",
            "ca-central-1",
            ("ca-central-1", "argument"),
        ),
        # AWS_REGION beats the profile (boto3 alone would ignore AWS_REGION)
        ({"AWS_REGION": "us-west-1", "AWS_DEFAULT_REGION": "sa-east-1"}, "dev", None, ("us-west-1", "AWS_REGION")),
        # the profile beats AWS_DEFAULT_REGION (boto3 alone would prefer AWS_DEFAULT_REGION)
        ({"AWS_DEFAULT_REGION": "sa-east-1"}, "dev", None, ("ap-southeast-2", "profile")),
        ({"AWS_DEFAULT_REGION": "sa-east-1"}, None, None, ("eu-west-1", "profile")),
        ({"AWS_DEFAULT_REGION": "sa-east-1"}, "noregion", None, ("sa-east-1", "AWS_DEFAULT_REGION")),
        # nothing at all: the scheduler's us-east-2
        ({}, "noregion", None, ("us-east-2", "default")),
        ({}, "credsonly", None, ("us-east-2", "default")),
    ],
)
def test_region_follows_the_schedulers_order(profiles, monkeypatch, no_network, env, profile, explicit, expected):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert resolve_region(profile, explicit) == expected
    sess = AwsSession(profile=profile, region=explicit)
    assert (sess.region, sess.region_source) == expected
    assert sess.boto_session.region_name == expected[0]


def test_aws_profile_env_selects_the_profile_and_its_region(profiles, monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "dev")
    sess = AwsSession()
    assert sess.profile == "dev"
    assert (sess.region, sess.region_source) == ("ap-southeast-2", "profile")


def test_resolve_context_makes_no_aws_call(profiles, monkeypatch, no_network):
    monkeypatch.setenv("AWS_PROFILE", "dev")
    ctx = resolve_context()
    assert ctx == {
        "profiles": ["default", "credsonly", "dev", "noregion"],
        "default_profile": "dev",
        "profile": "dev",
        "region": "ap-southeast-2",
        "region_source": "profile",
        "warnings": [],
    }


def test_resolve_context_default_profile_is_default_when_present_else_none(profiles, monkeypatch, tmp_path):
    assert resolve_context()["default_profile"] == "default"
    (tmp_path / "aws_config").write_text("[profile dev]\nregion = eu-north-1\n")
    ctx = resolve_context()
    assert ctx["default_profile"] is None
    assert (ctx["region"], ctx["region_source"]) == ("us-east-2", "default")


def test_resolve_context_warns_instead_of_failing_on_a_missing_env_profile(profiles, monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "gone")
    ctx = resolve_context()
    assert ctx["default_profile"] == "gone"
    assert "gone" in ctx["warnings"][0]
    assert ctx["region"] == "us-east-2"


def test_unknown_explicit_profile_is_input_error_listing_the_profiles(profiles):
    with pytest.raises(InputError) as info:
        AwsSession(profile="prod")
    err = info.value
    assert err.status == 400
    assert err.error_code == "profile_not_found"
    assert "prod" in err.message and "dev" in err.message and "credsonly" in err.message
    assert err.details["available_profiles"] == ["default", "credsonly", "dev", "noregion"]


def test_unknown_env_profile_is_credentials_error(profiles, monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "prod")
    with pytest.raises(CredentialsError) as info:
        AwsSession()
    assert info.value.error_code == "profile_not_found"
    assert "AWS_PROFILE" in info.value.message and "dev" in info.value.message


@pytest.mark.parametrize("bad", ["us-east", "US-EAST-1", "us_east_1", "http://evil/", "us-east-1.evil.com"])
def test_bad_region_is_input_error(aws_env, bad):
    with pytest.raises(InputError) as info:
        AwsSession(region=bad)
    assert info.value.details["region_source"] == "argument"


def test_bad_region_in_env_names_the_variable(aws_env, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "moon-1")
    with pytest.raises(InputError, match="AWS_REGION"):
        AwsSession()


@pytest.mark.parametrize(
    ("region", "partition"),
    [("us-east-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov"), ("us-isob-east-1", "aws-iso-b")],
)
def test_partition_follows_region(aws_env, region, partition):
    assert AwsSession(region=region).partition == partition


def test_clients_use_standard_retries_finite_timeouts_and_the_configured_endpoint(aws_env):
    sess = AwsSession()
    iam = sess.client("iam")
    assert iam.meta.config.retries == {"mode": "standard", "total_max_attempts": 5}
    assert iam.meta.config.connect_timeout == 5
    assert iam.meta.config.read_timeout == 20
    assert iam.meta.endpoint_url == aws_env  # AWS_ENDPOINT_URL, honoured by botocore itself
    assert sess.client("iam") is iam


def test_clients_are_created_once_under_concurrency(aws_env):
    sess = AwsSession()
    barrier = threading.Barrier(8)

    def get(_):
        barrier.wait()
        return sess.client("sts")

    with ThreadPoolExecutor(8) as pool:
        clients = list(pool.map(get, range(8)))
    assert len({id(c) for c in clients}) == 1


def test_concurrent_calls_share_one_session(aws_env):
    # Given one session, When 16 threads call AWS at once, Then all succeed with one identity.
    sess = AwsSession()
    with ThreadPoolExecutor(8) as pool:
        arns = set(pool.map(lambda _: sess.client("sts").get_caller_identity()["Arn"], range(16)))
    assert len(arns) == 1


def test_caller_identity_is_fetched_once_per_session(aws_env, counter):
    sess = AwsSession()
    calls = counter(sess, "sts")
    first = sess.caller_identity()
    assert sess.caller_identity() == first
    assert calls.calls["GetCallerIdentity"] == 1


def test_repr_names_profile_and_region_only(aws_env):
    text = repr(AwsSession())
    assert "us-east-1" in text
    assert "EXAMPLE" not in text
