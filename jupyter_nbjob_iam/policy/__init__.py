"""A pure-Python evaluator of AWS IAM identity policies and permissions boundaries.

```python
from jupyter_nbjob_iam.policy import evaluate, Request
result = evaluate(Request(action="s3:GetObject", resource="arn:aws:s3:::bucket/key",
                          context={"aws:username": "alice", "aws:TagKeys": ["team", "env"]}),
                  policies=[policy_doc, ...], permissions_boundary=None)
result.decision, result.matched, result.missing_context, result.errors, result.explain()
```

Policies may be dicts, JSON text, or ``Policy`` objects from ``parse_policy`` (parse once, evaluate
many: the fast path for checking many requests against the same policies). JSON text is parsed
once and cached. No boto3, no Jupyter: this package imports only the standard library.
"""

from __future__ import annotations

from collections.abc import Iterable

from .decide import decide, sources_of
from .model import (
    ALLOWED,
    EXPLICIT_DENY,
    IMPLICIT_DENY,
    REASON_ALLOWED,
    REASON_BOUNDARY,
    REASON_EXPLICIT_DENY,
    REASON_NO_ALLOW,
    REASON_UNREADABLE,
    MatchedStatement,
    PolicyError,
    Request,
    Result,
)
from .parse import Policy, parse_policy

__all__ = [
    "ALLOWED",
    "EXPLICIT_DENY",
    "IMPLICIT_DENY",
    "REASON_ALLOWED",
    "REASON_BOUNDARY",
    "REASON_EXPLICIT_DENY",
    "REASON_NO_ALLOW",
    "REASON_UNREADABLE",
    "MatchedStatement",
    "Policy",
    "PolicyError",
    "Request",
    "Result",
    "compile_policies",
    "evaluate",
    "parse_policy",
    "validate_policy",
]


def evaluate(
    request: Request,
    policies: Iterable[object] = (),
    permissions_boundary: object | None = None,
) -> Result:
    """Decide one request against identity policies and an optional permissions boundary.

    Never raises on user data: malformed policies become ``result.errors`` and never yield
    "allowed" (see ``decide`` for the exact rule).
    """
    try:
        sources = sources_of(policies, permissions_boundary)
    except Exception as exc:  # noqa: BLE001 - e.g. a non-iterable ``policies``: an answer, not a crash
        return Result(
            IMPLICIT_DENY,
            errors=(PolicyError(f"the policies could not be read: {exc}"),),
            reason=REASON_UNREADABLE,
            request=request,
        )
    try:
        return decide(request, sources)
    except Exception as exc:  # noqa: BLE001 - a bug must not crash the caller; it shows in ``errors``
        return Result(
            IMPLICIT_DENY,
            errors=(PolicyError(f"internal error while evaluating: {exc!r}"),),
            reason=REASON_UNREADABLE,
            request=request,
        )


def compile_policies(policies: Iterable[object]) -> list[Policy]:
    """Parse documents once for many ``evaluate`` calls."""
    return [parse_policy(doc) for doc in policies]


def validate_policy(doc: object) -> list[str]:
    """The problems of one policy document in plain words; an empty list means well-formed."""
    return list(parse_policy(doc).problems)
