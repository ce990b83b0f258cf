"""Profiles, region and boto3 clients, resolved the way the SageMaker notebook-job scheduler does.

The scheduler picks its region in this order: ``AWS_REGION``, the profile's ``region``,
``AWS_DEFAULT_REGION``, then ``us-east-2`` (boto3 alone ignores ``AWS_REGION`` and prefers
``AWS_DEFAULT_REGION`` over the profile). An explicit region argument wins over all of them. The
resolved region is handed to boto3 explicitly, so checks run in the region the jobs will run in.

Endpoints are not touched here: botocore itself honours ``AWS_ENDPOINT_URL`` (and the
per-service ``AWS_ENDPOINT_URL_IAM`` / ``_STS``), which is how the sandbox and the tests reach moto.
"""

from __future__ import annotations

import copy
import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import botocore.loaders
import botocore.session
from botocore import exceptions as bce
from botocore.config import Config

from ..constants import AWS_CONNECT_TIMEOUT, AWS_MAX_ATTEMPTS, AWS_READ_TIMEOUT, REGION_PATTERN
from ..errors import InputError
from ._tasks import AwsLimiter, Deadline, default_limiter
from .errors import aws_errors, translate

SCHEDULER_DEFAULT_REGION = "us-east-2"

# Where the region came from, in the scheduler's order of precedence.
REGION_SOURCES = ("argument", "AWS_REGION", "profile", "AWS_DEFAULT_REGION", "default")

_REGION_RE = re.compile(REGION_PATTERN)
_PROFILE_RE = re.compile(r"^[\w.@+=,:/-]{1,128}$")

_PARTITION_PREFIXES = (
    ("us-gov-", "aws-us-gov"),
    ("cn-", "aws-cn"),
    ("us-isob-", "aws-iso-b"),
    ("us-isof-", "aws-iso-f"),
    ("eu-isoe-", "aws-iso-e"),
    ("us-iso-", "aws-iso"),
    ("eusc-", "aws-eusc"),
)


_LOADER_LOCK = threading.Lock()
_LOADER: botocore.loaders.Loader | None = None


def _shared_loader() -> botocore.loaders.Loader:
    """One botocore data loader for every session: service models are parsed once per process
    (about 50 ms a client otherwise), not once per check."""
    global _LOADER
    with _LOADER_LOCK:
        if _LOADER is None:
            _LOADER = botocore.loaders.create_loader()
        return _LOADER


def partition_for_region(region: str) -> str:
    """``aws``, ``aws-cn``, ``aws-us-gov``, ... for a region name (offline)."""
    for prefix, partition in _PARTITION_PREFIXES:
        if region.startswith(prefix):
            return partition
    return "aws"


def _validate_region(region: str, source: str) -> str:
    region = region.strip()
    if not _REGION_RE.match(region):
        where = {
            "argument": "The region",
            "AWS_REGION": "The AWS_REGION environment variable",
            "AWS_DEFAULT_REGION": "The AWS_DEFAULT_REGION environment variable",
            "profile": "The profile's region setting",
        }.get(source, "The region")
        raise InputError(
            f"{where} '{region}' is not an AWS region name (for example us-east-1).",
            details={"region": region, "region_source": source},
        )
    return region


def _profile_map() -> dict[str, dict[str, Any]]:
    """Profiles of the config and credentials files (offline; a broken file is an error)."""
    with aws_errors():
        session = botocore.session.Session()
        return dict(session.full_config.get("profiles", {}))


def list_profiles() -> list[str]:
    """Profile names from the AWS config and credentials files: ``default`` first, then sorted."""
    names = sorted(_profile_map())
    if "default" in names:
        names.remove("default")
        names.insert(0, "default")
    return names


def _env_profile() -> str | None:
    # botocore's own order: AWS_DEFAULT_PROFILE (legacy), then AWS_PROFILE.
    return os.environ.get("AWS_DEFAULT_PROFILE") or os.environ.get("AWS_PROFILE") or None


def default_profile(profiles: list[str] | None = None) -> str | None:
    """The profile used when none is chosen: ``AWS_PROFILE``, else ``default`` when it exists."""
    env = _env_profile()
    if env:
        return env
    if profiles is None:
        profiles = list_profiles()
    return "default" if "default" in profiles else None


def resolve_region(profile: str | None = None, region: str | None = None) -> tuple[str, str]:
    """``(region, source)`` in the scheduler's order; ``source`` is one of ``REGION_SOURCES``.

    ``profile`` None means the default profile (``AWS_PROFILE`` or ``default``). Never calls AWS.
    """
    if region:
        return _validate_region(region, "argument"), "argument"
    env = os.environ.get("AWS_REGION")
    if env:
        return _validate_region(env, "AWS_REGION"), "AWS_REGION"
    profiles = _profile_map()
    name = profile or default_profile(list(profiles))
    if name and name in profiles:
        value = profiles[name].get("region")
        if value:
            return _validate_region(value, "profile"), "profile"
    env = os.environ.get("AWS_DEFAULT_REGION")
    if env:
        return _validate_region(env, "AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION"
    return SCHEDULER_DEFAULT_REGION, "default"


def resolve_context(profile: str | None = None) -> dict[str, Any]:
    """What the panel shows before any AWS call: profiles, the default profile and the region.

    Returns ``{"profiles", "default_profile", "profile", "region", "region_source", "warnings"}``.
    ``profile`` is the one the region was resolved for (the argument, else the default). Never calls
    AWS and never raises for a profile that does not exist: that goes into ``warnings``.
    """
    warnings: list[str] = []
    profiles = list_profiles()
    default = default_profile(profiles)
    chosen = profile or default
    if default and default not in profiles:
        warnings.append(
            f"AWS_PROFILE names the profile `{default}`, which is not in your AWS config or credentials files."
        )
    if profile and profile not in profiles:
        warnings.append(f"The profile `{profile}` is not in your AWS config or credentials files.")
    try:
        region, source = resolve_region(chosen)
    except InputError as exc:
        warnings.append(exc.message)
        region, source = SCHEDULER_DEFAULT_REGION, "default"
    return {
        "profiles": profiles,
        "default_profile": default,
        "profile": chosen,
        "region": region,
        "region_source": source,
        "warnings": warnings,
    }


def _profile_not_found(name: str, *, explicit: bool) -> Exception:
    profiles = list_profiles()
    listed = ", ".join(profiles) if profiles else "none are configured"
    if explicit:
        return InputError(
            f"The AWS profile `{name}` does not exist. Available profiles: {listed}.",
            error_code="profile_not_found",
            details={"profile": name, "available_profiles": profiles},
        )
    err = translate(bce.ProfileNotFound(profile=name))
    err.message = f"AWS_PROFILE names the profile `{name}`, which does not exist. Available profiles: {listed}."
    err.args = (err.message,)
    err.details["available_profiles"] = profiles
    return err


class AwsSession:
    """One profile + region, with cached, thread-safe boto3 clients.

    ``profile`` None uses the default credential chain (``AWS_PROFILE``, env keys, ...).
    ``.profile`` is the effective profile name (None when only env keys or instance roles apply),
    ``.region`` / ``.region_source`` come from :func:`resolve_region`, ``.partition`` from the region.
    Clients are created once per service under a lock (boto3 sessions are not thread-safe; clients
    are) and may be shared by the threads of a ``ThreadPoolExecutor``.

    Every AWS call runs inside ``errors(action)``, which takes a slot of ``limiter`` (the process-wide
    bound on AWS calls in flight; ``default_limiter()`` when none is given) and, with a ``deadline``,
    refuses to start a call or a retry past it.
    """

    def __init__(
        self,
        profile: str | None = None,
        region: str | None = None,
        *,
        max_attempts: int = AWS_MAX_ATTEMPTS,
        limiter: AwsLimiter | None = None,
        deadline: Deadline | None = None,
    ) -> None:
        self.limiter = limiter or default_limiter()
        self.deadline = deadline
        # Where IAM writes are logged (the server sets the extension's logger), and what they belong to.
        self.log: logging.Logger = logging.getLogger("jupyter_nbjob_iam")
        self.log_context: dict[str, Any] = {}
        if profile is not None:
            profile = profile.strip() or None
        if profile is not None and not _PROFILE_RE.match(profile):
            raise InputError(
                "The profile name contains characters a profile cannot have.",
                details={"profile": profile[:128]},
            )
        env_profile = _env_profile()
        self.profile: str | None = profile or env_profile or None
        profiles = _profile_map()
        if profile and profile not in profiles:
            raise _profile_not_found(profile, explicit=True)
        if not profile and env_profile and env_profile not in profiles:
            raise _profile_not_found(env_profile, explicit=False)
        if self.profile is None and "default" in profiles:
            self.profile = "default"
        self.region, self.region_source = resolve_region(self.profile, region)
        self.partition = partition_for_region(self.region)
        # No single attempt may wait longer than the whole request may take: when the deadline passes,
        # the call in flight ends about then too (and no retry starts), instead of up to 20 s later.
        budget = deadline.seconds if deadline is not None and deadline.seconds else AWS_READ_TIMEOUT
        # max_attempts counts the first try (botocore's legacy "max_attempts" would not).
        self.config = Config(
            retries={"mode": "standard", "total_max_attempts": max_attempts},
            connect_timeout=min(AWS_CONNECT_TIMEOUT, budget),
            read_timeout=min(AWS_READ_TIMEOUT, budget),
            max_pool_connections=self.limiter.max_calls,
            user_agent_extra="jupyter-nbjob-iam",
        )
        try:
            core = botocore.session.Session(profile=profile)
            core.register_component("data_loader", _shared_loader())
            self._boto = boto3.Session(botocore_session=core, region_name=self.region)
        except bce.ProfileNotFound as exc:  # raced with an edit of the config file
            raise _profile_not_found(exc.kwargs.get("profile", profile or ""), explicit=bool(profile)) from exc
        except (bce.BotoCoreError, bce.ClientError) as exc:
            raise translate(exc, profile=self.profile) from exc
        self._lock = threading.Lock()
        self._clients: dict[str, Any] = {}
        self._caller: dict[str, str] | None = None

    def __repr__(self) -> str:
        return f"AwsSession(profile={self.profile!r}, region={self.region!r})"

    @property
    def boto_session(self) -> boto3.Session:
        return self._boto

    def client(self, name: str) -> Any:
        """The cached boto3 client for service ``name`` (``"iam"``, ``"sts"``, ...)."""
        client = self._clients.get(name)
        if client is not None:
            return client
        with self._lock:
            client = self._clients.get(name)
            if client is None:
                with aws_errors(action=f"{name} client", profile=self.profile):
                    # boto3-stubs type only literal service names; this cache serves any name.
                    client = self._boto.client(name, config=self.config)  # type: ignore[call-overload]
                if self.deadline is not None:  # checked before every attempt, retries included
                    client.meta.events.register("before-send", self._before_send)
                self._clients[name] = client
        return client

    def with_limiter(self, limiter: AwsLimiter) -> AwsSession:
        """This session (same credentials, clients, caller and deadline) with another limiter."""
        other = copy.copy(self)
        other.limiter = limiter
        return other

    def _before_send(self, event_name: str = "", **_: Any) -> None:
        assert self.deadline is not None
        parts = event_name.split(".")
        self.deadline.check(f"{parts[1]}:{parts[2]}" if len(parts) >= 3 else None)

    @contextmanager
    def errors(self, action: str | None = None) -> Iterator[None]:
        """Context manager around AWS calls: holds one slot of the limiter (waiting for one at most
        until the deadline), names the call if the deadline passes, and turns botocore failures into
        the project's errors."""
        with self.limiter.slot(self.deadline, action):
            if self.deadline is None:
                with aws_errors(action=action, profile=self.profile):
                    yield
                return
            with self.deadline.calling(action), aws_errors(action=action, profile=self.profile):
                yield

    def caller_identity(self) -> dict[str, str]:
        """``sts:GetCallerIdentity`` (``Arn``, ``Account``, ``UserId``), called once per session."""
        if self._caller is None:
            with self.errors("sts:GetCallerIdentity"):
                resp = self.client("sts").get_caller_identity()
            caller = {k: resp[k] for k in ("Arn", "Account", "UserId") if k in resp}
            with self._lock:
                self._caller = caller
        return dict(self._caller)
