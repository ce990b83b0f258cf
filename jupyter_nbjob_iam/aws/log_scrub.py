"""Keep credentials out of logs, even when someone turns botocore's DEBUG logging on.

botocore's own DEBUG records print request headers and signing details: the access key id (in the
Authorization header) and the session token. The extension never enables them, but an administrator
debugging a server may; this filter rewrites any such record with the credentials redacted.
"""

from __future__ import annotations

import logging

from .errors import scrub

# Filters on a logger see only records that logger itself emits, so each emitting logger is named.
LOGGERS = (
    "botocore",
    "botocore.auth",
    "botocore.client",
    "botocore.credentials",
    "botocore.endpoint",
    "botocore.hooks",
    "botocore.httpsession",
    "botocore.parsers",
    "botocore.regions",
    "botocore.retryhandler",
    "botocore.retries.standard",
    "botocore.utils",
    "urllib3.connectionpool",
    "jupyter_nbjob_iam",
)


class ScrubFilter(logging.Filter):
    """Redact access key ids, secrets and session tokens from a record's final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's problem, not ours
            return True
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


def install_log_scrubbing() -> None:
    """Attach the filter to every logger that may carry credentials (idempotent)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, ScrubFilter) for f in logger.filters):
            logger.addFilter(ScrubFilter())
