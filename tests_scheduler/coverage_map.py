"""Does this project's check cover a real call? Compare at the level a policy grants.

The check builds its requests with example names (``catalog.resources.EXAMPLE_JOB_ID``); the scheduler
makes up a new job id per job. So both sides are generalised the same way before they are compared:
a training job, pipeline or EventBridge rule ARN becomes ``.../training-job/*`` (``pipeline/*``,
``rule/*``); an S3 object ARN becomes ``bucket/<configured prefix>/*``. Bucket, role and ``*``
resources are compared exactly, and ``iam:PassRole`` must be checked for the same
``iam:PassedToService``.
"""

from __future__ import annotations

import re

from iam_map import IamRequest

_NAMED = re.compile(r"^(arn:[^:]+:(?:sagemaker|events):[^:]*:\d*:(?:training-job|pipeline|rule))/.+$")
_OBJECT = re.compile(r"^(arn:[^:]+:s3:::)([^/]+)/(.*)$")


def generalise(resource: str, prefixes: dict[str, list[str]]) -> str:
    m = _NAMED.match(resource)
    if m:
        return f"{m.group(1)}/*"
    m = _OBJECT.match(resource)
    if m:
        head, bucket, key = m.groups()
        best = ""
        for prefix in prefixes.get(bucket, []):
            if prefix and (key == prefix or key.startswith(prefix + "/")) and len(prefix) > len(best):
                best = prefix
        return f"{head}{bucket}/{best + '/' if best else ''}*"
    return resource


def key_of(req: IamRequest, prefixes: dict[str, list[str]]) -> tuple[str, str, str | None]:
    return (req.action.lower(), generalise(req.resource, prefixes), req.passed_to_service)


def checked_keys(check_requests: list, prefixes: dict[str, list[str]]) -> set[tuple[str, str, str | None]]:
    """The generalised keys of the check's own ``CheckRequest`` values."""
    out = set()
    for r in check_requests:
        service = r.context.get("iam:PassedToService") if r.action == "iam:PassRole" else None
        out.add(key_of(IamRequest(r.action, r.resource, service), prefixes))
    return out


def prefixes_of(*uris: str) -> dict[str, list[str]]:
    """``s3://bucket/prefix`` URIs -> {bucket: [prefix, ...]} (prefix without slashes)."""
    out: dict[str, list[str]] = {}
    for uri in uris:
        bucket, _, prefix = uri.removeprefix("s3://").partition("/")
        out.setdefault(bucket, []).append(prefix.strip("/"))
    return out
