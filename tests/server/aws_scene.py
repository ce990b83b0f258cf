"""Small scene-setting helpers for handler tests (plain boto3 against the moto server)."""

from __future__ import annotations

import boto3


def user_with_keys(monkeypatch, name: str = "ada", path: str = "/notebook-users/") -> str:
    """Create a user, switch the environment to its access key, return its ARN."""
    iam = boto3.client("iam")
    arn = iam.create_user(UserName=name, Path=path)["User"]["Arn"]
    key = iam.create_access_key(UserName=name)["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    return arn
