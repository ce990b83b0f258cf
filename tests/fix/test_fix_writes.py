"""aws/writes.py: ConcurrentModification is resent only after a re-read says so, a bounded number of times."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from jupyter_nbjob_iam.aws import writes as aws_writes
from jupyter_nbjob_iam.errors import AwsError

from .fixhelp import allow, doc


def _busy(sess, attempts):
    def busy(**_):
        attempts.append(1)
        raise ClientError({"Error": {"Code": "ConcurrentModification", "Message": "busy"}}, "PutUserPolicy")

    sess.client("iam").meta.events.register("before-call.iam.PutUserPolicy", busy)


def test_concurrent_modification_is_never_resent_blindly(user, session):
    # Given IAM answering ConcurrentModification to every PutUserPolicy
    user()
    sess = session()
    attempts: list = []
    _busy(sess, attempts)
    # When a policy is written without a way to re-read its target
    with pytest.raises(AwsError) as err:
        aws_writes.put_inline_policy(sess, "user", "ada", "P", doc(allow("s3:GetObject")))
    # Then the document is sent once, not again: the error names AWS's code and the action
    assert len(attempts) == 1
    assert aws_writes.error_code_of(err.value) == "ConcurrentModification"
    assert err.value.details["aws_action"] == "iam:PutUserPolicy"


def test_concurrent_modification_resends_only_while_the_recheck_says_so(user, session):
    user()
    sess = session()
    attempts: list = []
    _busy(sess, attempts)
    rechecks: list = []

    def still_as_expected() -> str:
        rechecks.append(1)
        return "resend"

    # When the target stays as expected: bounded resends, each after a re-read
    with pytest.raises(AwsError):
        aws_writes.put_inline_policy(sess, "user", "ada", "P", doc(allow("s3:GetObject")), still_as_expected)
    assert len(attempts) == 1 + len(aws_writes.RETRY_DELAYS) and len(rechecks) == len(aws_writes.RETRY_DELAYS)
    # When the re-read shows the write landed: done, nothing resent
    attempts.clear()
    assert aws_writes.put_inline_policy(sess, "user", "ada", "P", doc(), lambda: "landed") is None
    assert len(attempts) == 1


def test_documents_are_sent_compact_and_read_back_equal(user, session):
    user()
    document = doc(allow("s3:GetObject", sid="A"), allow("s3:PutObject", resource="arn:aws:s3:::b/*"))
    aws_writes.put_inline_policy(session(), "user", "ada", "P", document)
    assert aws_writes.get_inline_policy(session(), "user", "ada", "P") == document
    assert aws_writes.get_inline_policy(session(), "user", "ada", "Absent") is None
    assert " " not in aws_writes.compact_json(document)
