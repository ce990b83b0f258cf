"""aws/writes.py: ConcurrentModification is retried a bounded number of times, then translated."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from jupyter_nbjob_iam.aws import writes as aws_writes
from jupyter_nbjob_iam.errors import AwsError

from .fixhelp import allow, doc


def test_concurrent_modification_that_persists_gives_up_after_the_bounded_retries(user, session):
    # Given IAM answering ConcurrentModification to every PutUserPolicy
    user()
    sess = session()
    attempts = []

    def busy(**_):
        attempts.append(1)
        raise ClientError({"Error": {"Code": "ConcurrentModification", "Message": "busy"}}, "PutUserPolicy")

    sess.client("iam").meta.events.register("before-call.iam.PutUserPolicy", busy)
    # When a policy is written
    with pytest.raises(AwsError) as err:
        aws_writes.put_inline_policy(sess, "user", "ada", "P", doc(allow("s3:GetObject")))
    # Then it tried once plus one retry per configured delay, and the error names AWS's code and the action
    assert len(attempts) == 1 + len(aws_writes.RETRY_DELAYS)
    assert aws_writes.error_code_of(err.value) == "ConcurrentModification"
    assert err.value.details["aws_action"] == "iam:PutUserPolicy"


def test_documents_are_sent_compact_and_read_back_equal(user, session):
    user()
    document = doc(allow("s3:GetObject", sid="A"), allow("s3:PutObject", resource="arn:aws:s3:::b/*"))
    aws_writes.put_inline_policy(session(), "user", "ada", "P", document)
    assert aws_writes.get_inline_policy(session(), "user", "ada", "P") == document
    assert aws_writes.get_inline_policy(session(), "user", "ada", "Absent") is None
    assert " " not in aws_writes.compact_json(document)
