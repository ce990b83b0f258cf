"""Every IAM write is logged at INFO through the logger the server gives the session: principal,
call, policy name, size and plan id; never the document's text or a credential."""

from __future__ import annotations

import json
import logging

from jupyter_nbjob_iam.aws import AwsSession
from jupyter_nbjob_iam.aws import writes as aws_writes

from .aws_scene import user_with_keys

SECRET_MARK = "do-not-log-this-statement"


def _document() -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Sid": SECRET_MARK, "Effect": "Allow", "Action": "sagemaker:Search", "Resource": "*"}],
    }


def test_writes_are_logged_with_their_facts_and_without_their_documents(aws_env, monkeypatch, caplog):
    # Given a session of the server, logging to the extension's logger, applying plan p-1
    user_with_keys(monkeypatch)
    sess = AwsSession()
    sess.log = logging.getLogger("NbJobIamApp-under-test")
    sess.log_context = {"plan_id": "p-1"}
    document = _document()
    # When the fix writes an inline policy, then (undo) removes it
    with caplog.at_level(logging.INFO, logger="NbJobIamApp-under-test"):
        aws_writes.put_inline_policy(sess, "user", "ada", "SageMakerNotebookJobs", document)
        aws_writes.delete_inline_policy(sess, "user", "ada", "SageMakerNotebookJobs")
    records = [r for r in caplog.records if r.name == "NbJobIamApp-under-test"]
    # Then each write is one INFO line with its facts
    assert [r.levelno for r in records] == [logging.INFO, logging.INFO]
    put, delete = (r.getMessage() for r in records)
    size = len(json.dumps(document, separators=(",", ":")))
    for text in (
        "iam:PutUserPolicy",
        "principal=user/ada",
        "policy=SageMakerNotebookJobs",
        f"size={size}",
        "plan_id=p-1",
    ):
        assert text in put
    assert "iam:DeleteUserPolicy" in delete and "plan_id=p-1" in delete
    # and no document text nor a credential ever
    keys = sess.boto_session.get_credentials().get_frozen_credentials()
    for text in (put, delete):
        assert SECRET_MARK not in text and "sagemaker:Search" not in text
        assert keys.access_key not in text and keys.secret_key not in text
