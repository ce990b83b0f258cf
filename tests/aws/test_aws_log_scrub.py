"""botocore's DEBUG logging, if someone turns it on, never shows the credentials."""

from __future__ import annotations

import io
import logging

import pytest

from jupyter_nbjob_iam.aws import AwsSession, get_identity
from jupyter_nbjob_iam.aws.log_scrub import LOGGERS, install_log_scrubbing


@pytest.fixture
def botocore_debug_log():
    """Capture everything botocore logs at DEBUG, the way an administrator debugging would."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger("botocore")
    previous = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous)


def test_session_token_and_key_id_never_reach_the_debug_log(aws_env, sts, use_keys, iam, botocore_debug_log):
    # Given a session of an assumed role (key id, secret and session token) and botocore at DEBUG
    role = iam.create_role(
        RoleName="Exec",
        AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
        '"Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}',
    )["Role"]
    creds = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="debugging")["Credentials"]
    use_keys(creds)
    install_log_scrubbing()
    botocore_debug_log.seek(0)
    botocore_debug_log.truncate()  # only what the extension's own calls log from here
    # When the extension calls AWS
    get_identity(AwsSession())
    log = botocore_debug_log.getvalue()
    # Then botocore did log the request, but none of the credentials
    assert "sts" in log.lower() and len(log) > 1000
    for secret in (creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]):
        assert secret not in log


def test_the_filter_is_installed_once_per_logger():
    install_log_scrubbing()
    install_log_scrubbing()
    for name in LOGGERS:
        assert sum(type(f).__name__ == "ScrubFilter" for f in logging.getLogger(name).filters) == 1
