"""Read every identity policy that applies to an IAM user or role, concurrently.

User: inline policies, attached managed policies, each group's inline and attached policies, and
the permissions boundary. Role: inline, attached, boundary. Managed policies are read at their
default version (``GetPolicy`` then ``GetPolicyVersion``), each ARN once per call (or once per
shared ``cache`` across calls) however many times it is attached.

A call AWS refuses (AccessDenied) does not stop the read: it is recorded in ``refused`` so the
checker can say "unknown" for what depends on it. Any other failure raises the project's error.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import AccessDeniedError, InputError, NotFoundError
from ._tasks import AwsLimiter, Pending, TaskGroup
from .arns import USER_NAME_RE, parse_iam_principal_arn
from .roles import decode_document
from .session import AwsSession

SOURCES = ("inline", "managed", "group-inline", "group-managed", "boundary")

LEAF = 1  # task priority of single-document fetches (list calls run first, at 0)

# Guards check-and-insert on caller-supplied caches (dicts shared by concurrent reads).
_CACHE_LOCK = threading.Lock()


@dataclass(frozen=True)
class RefusedCall:
    """An AWS call that was refused: ``action`` like ``iam:GetPolicyVersion``, AWS's error code,
    a plain message, and what it was about (a policy ARN, a group, the principal)."""

    action: str
    error_code: str
    message: str
    target: str | None = None


@dataclass(frozen=True)
class PolicyDoc:
    """One policy document: ``source`` in ``SOURCES``; ``arn``/``version_id`` for managed ones,
    ``group`` for group policies. ``document`` is a dict (or the raw string if it was not JSON)."""

    source: str
    name: str
    arn: str | None
    group: str | None
    document: Any
    version_id: str | None


@dataclass(frozen=True)
class PrincipalPolicies:
    principal_arn: str | None
    policies: list[PolicyDoc]
    boundary: PolicyDoc | None
    refused: list[RefusedCall]
    principal_type: str = ""
    principal_name: str = ""
    boundary_arn: str | None = None  # set even when the boundary document could not be read
    groups: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when every read succeeded (no refused call)."""
        return not self.refused

    def documents(self) -> list[Any]:
        """The identity policy documents, in order (the evaluator's ``policies`` argument)."""
        return [p.document for p in self.policies]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Managed:
    arn: str
    name: str
    version_id: str
    document: Any


class _Refused(Exception):
    def __init__(self, call: RefusedCall) -> None:
        super().__init__(call.message)
        self.call = call


_UNREAD = object()  # a list whose read was refused


class _Reader:
    def __init__(
        self,
        sess: AwsSession,
        tasks: TaskGroup,
        cache: dict[str, Future[Any]],
        principal_type: str,
        name: str,
    ) -> None:
        self.sess = sess
        self.iam = sess.client("iam")
        self.tasks = tasks
        self.cache = cache
        self.kind = principal_type
        self.name = name
        self.cap = "User" if principal_type == "user" else "Role"
        self._lock = threading.Lock()
        self.refused: list[RefusedCall] = []
        self.principal_arn: str | None = None
        self.boundary_arn: str | None = None
        self.inline: Any = _UNREAD  # list of names
        self.inline_docs: dict[tuple[str | None, str], Any] = {}
        self.attached: Any = _UNREAD  # list of (arn, name)
        self.groups: Any = [] if principal_type == "role" else _UNREAD
        self.group_inline: dict[str, Any] = {}
        self.group_attached: dict[str, Any] = {}

    # -- plumbing ---------------------------------------------------------------------------
    def _call(self, action: str, target: str | None, method: str, **params: Any) -> Any:
        try:
            with self.sess.errors(action):
                return getattr(self.iam, method)(**params)
        except AccessDeniedError as exc:
            raise _Refused(
                RefusedCall(action, exc.details.get("aws_error_code", "AccessDenied"), exc.message, target)
            ) from exc

    def _paginate(self, action: str, target: str | None, method: str, key: str, **params: Any) -> list[Any]:
        try:
            with self.sess.errors(action):
                out: list[Any] = []
                for page in self.iam.get_paginator(method).paginate(**params):
                    out.extend(page.get(key, []))
                return out
        except AccessDeniedError as exc:
            raise _Refused(
                RefusedCall(action, exc.details.get("aws_error_code", "AccessDenied"), exc.message, target)
            ) from exc

    def _refuse(self, call: RefusedCall) -> None:
        with self._lock:
            if all((c.action, c.target) != (call.action, call.target) for c in self.refused):
                self.refused.append(call)

    def _task(self, fn: Any, *args: Any, leaf: bool = False) -> None:
        """Run ``fn`` in the pool; a refusal is recorded. Leaf tasks (fetching one document) yield
        to tasks that discover more work."""

        def run() -> None:
            try:
                fn(*args)
            except _Refused as refusal:
                self._refuse(refusal.call)

        self.tasks.spawn(run, priority=LEAF if leaf else 0, key=(fn.__name__, *args))

    # -- managed policies (shared, deduplicated) -------------------------------------------
    def ensure_managed(self, arn: str) -> None:
        with _CACHE_LOCK:
            if arn not in self.cache:
                self.cache[arn] = self.tasks.spawn(_fetch_managed, self.sess, arn, priority=LEAF, key=("managed", arn))
            else:  # fetched by another read sharing the cache: this read is done only once it is
                self.tasks.track(self.cache[arn], key=("managed", arn))

    # -- the graph -----------------------------------------------------------------------
    def start(self) -> None:
        self._task(self.list_inline)
        self._task(self.list_attached)
        self._task(self.get_principal)
        if self.kind == "user":
            self._task(self.list_groups)

    def get_principal(self) -> None:
        action = f"iam:Get{self.cap}"
        resp = self._call(action, self.name, f"get_{self.kind}", **{f"{self.cap}Name": self.name})
        entity = resp[self.cap]
        self.principal_arn = entity.get("Arn")
        boundary = (entity.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
        if boundary:
            self.boundary_arn = boundary
            self.ensure_managed(boundary)

    def list_inline(self) -> None:
        names = self._paginate(
            f"iam:List{self.cap}Policies",
            self.name,
            f"list_{self.kind}_policies",
            "PolicyNames",
            **{f"{self.cap}Name": self.name},
        )
        self.inline = names
        for policy_name in names:
            self._task(self.get_inline, policy_name, leaf=True)

    def get_inline(self, policy_name: str) -> None:
        try:
            resp = self._call(
                f"iam:Get{self.cap}Policy",
                policy_name,
                f"get_{self.kind}_policy",
                **{f"{self.cap}Name": self.name, "PolicyName": policy_name},
            )
        except NotFoundError:  # deleted between the list and the get
            return
        self.inline_docs[(None, policy_name)] = decode_document(resp.get("PolicyDocument"))

    def list_attached(self) -> None:
        items = self._paginate(
            f"iam:ListAttached{self.cap}Policies",
            self.name,
            f"list_attached_{self.kind}_policies",
            "AttachedPolicies",
            **{f"{self.cap}Name": self.name},
        )
        self.attached = [(p["PolicyArn"], p.get("PolicyName", "")) for p in items]
        for arn, _ in self.attached:
            self.ensure_managed(arn)

    def list_groups(self) -> None:
        groups = self._paginate(
            "iam:ListGroupsForUser", self.name, "list_groups_for_user", "Groups", UserName=self.name
        )
        self.groups = [g["GroupName"] for g in groups]
        for group in self.groups:
            self.group_inline[group] = _UNREAD
            self.group_attached[group] = _UNREAD
            self._task(self.list_group_inline, group)
            self._task(self.list_group_attached, group)

    def list_group_inline(self, group: str) -> None:
        try:
            names = self._paginate(
                "iam:ListGroupPolicies", group, "list_group_policies", "PolicyNames", GroupName=group
            )
        except NotFoundError:  # the group was deleted after ListGroupsForUser
            names = []
        self.group_inline[group] = names
        for policy_name in names:
            self._task(self.get_group_inline, group, policy_name, leaf=True)

    def get_group_inline(self, group: str, policy_name: str) -> None:
        try:
            resp = self._call(
                "iam:GetGroupPolicy",
                f"{group}/{policy_name}",
                "get_group_policy",
                GroupName=group,
                PolicyName=policy_name,
            )
        except NotFoundError:
            return
        self.inline_docs[(group, policy_name)] = decode_document(resp.get("PolicyDocument"))

    def list_group_attached(self, group: str) -> None:
        try:
            items = self._paginate(
                "iam:ListAttachedGroupPolicies",
                group,
                "list_attached_group_policies",
                "AttachedPolicies",
                GroupName=group,
            )
        except NotFoundError:
            items = []
        self.group_attached[group] = [(p["PolicyArn"], p.get("PolicyName", "")) for p in items]
        for arn, _ in self.group_attached[group]:
            self.ensure_managed(arn)

    # -- assembly ------------------------------------------------------------------------
    def _managed_doc(self, source: str, arn: str, name: str, group: str | None) -> PolicyDoc | None:
        result = self.cache[arn].result()  # done, or being fetched by a call sharing the cache
        if isinstance(result, RefusedCall):
            self._refuse(result)
            return None
        if result is None:  # the policy vanished between the list and the get
            return None
        return PolicyDoc(source, result.name or name, arn, group, result.document, result.version_id)

    def assemble(self) -> PrincipalPolicies:
        policies: list[PolicyDoc] = []
        if self.inline is not _UNREAD:
            for policy_name in self.inline:
                if (None, policy_name) in self.inline_docs:
                    doc = self.inline_docs[(None, policy_name)]
                    policies.append(PolicyDoc("inline", policy_name, None, None, doc, None))
        if self.attached is not _UNREAD:
            for arn, name in self.attached:
                if (pd := self._managed_doc("managed", arn, name, None)) is not None:
                    policies.append(pd)
        groups = self.groups if self.groups is not _UNREAD else []
        for group in groups:
            names = self.group_inline.get(group, _UNREAD)
            if names is not _UNREAD:
                for policy_name in names:
                    if (group, policy_name) in self.inline_docs:
                        doc = self.inline_docs[(group, policy_name)]
                        policies.append(PolicyDoc("group-inline", policy_name, None, group, doc, None))
            attached = self.group_attached.get(group, _UNREAD)
            if attached is not _UNREAD:
                for arn, name in attached:
                    if (pd := self._managed_doc("group-managed", arn, name, group)) is not None:
                        policies.append(pd)
        boundary = None
        if self.boundary_arn:
            boundary = self._managed_doc("boundary", self.boundary_arn, "", None)
        return PrincipalPolicies(
            principal_arn=self.principal_arn,
            policies=policies,
            boundary=boundary,
            refused=sorted(self.refused, key=lambda c: (c.action, c.target or "")),
            principal_type=self.kind,
            principal_name=self.name,
            boundary_arn=self.boundary_arn,
            groups=list(groups),
        )


def _fetch_managed(sess: AwsSession, arn: str) -> _Managed | RefusedCall | None:
    """GetPolicy + GetPolicyVersion(default). Refusals are returned, not raised, because the
    result may be shared by several reads through a cache."""
    iam = sess.client("iam")
    action = "iam:GetPolicy"
    try:
        with sess.errors(action):
            policy = iam.get_policy(PolicyArn=arn)["Policy"]
        version_id = policy["DefaultVersionId"]
        action = "iam:GetPolicyVersion"
        with sess.errors(action):
            version = iam.get_policy_version(PolicyArn=arn, VersionId=version_id)["PolicyVersion"]
    except AccessDeniedError as exc:
        return RefusedCall(action, exc.details.get("aws_error_code", "AccessDenied"), exc.message, arn)
    except NotFoundError:
        return None
    return _Managed(arn, policy.get("PolicyName", ""), version_id, decode_document(version.get("Document")))


def start_read_policies(
    sess: AwsSession,
    principal_type: str,
    name: str,
    *,
    cache: dict[str, Any] | None = None,
    limiter: AwsLimiter | None = None,
) -> Pending[PrincipalPolicies]:
    """Start reading the policies of ``name`` on the pool of ``limiter`` (else the session's) and
    return at once: the caller waits on ``.future`` and takes ``.result()`` (see ``read_policies``).
    Input errors raise here, before any AWS call."""
    if principal_type not in ("user", "role"):
        raise InputError(
            f"principal_type must be 'user' or 'role', not {principal_type!r}.",
            details={"principal_type": principal_type},
        )
    text = (name or "").strip()
    if text.startswith("arn:"):
        text = parse_iam_principal_arn(text, kinds=(principal_type,)).name
    if not USER_NAME_RE.match(text):
        raise InputError(f"'{text}' is not a valid IAM {principal_type} name.", details={"name": text})
    if cache is None:
        cache = {}
    tasks = TaskGroup(limiter or sess.limiter, sess.deadline)
    reader = _Reader(sess, tasks, cache, principal_type, text)
    reader.start()
    tasks.seal()

    def finish() -> PrincipalPolicies:
        exc = tasks.error()
        if isinstance(exc, NotFoundError):
            raise NotFoundError(
                f"There is no IAM {principal_type} named `{text}` in this account.",
                error_code=f"{principal_type}_not_found",
                details={**exc.details, "principal_type": principal_type, "name": text},
            ) from exc
        if exc is not None:
            raise exc
        return reader.assemble()

    return Pending(tasks.done, finish)


def read_policies(
    sess: AwsSession,
    principal_type: str,
    name: str,
    *,
    cache: dict[str, Any] | None = None,
    max_workers: int | None = None,
) -> PrincipalPolicies:
    """Every identity policy of the IAM user or role ``name`` (a name, or its ARN).

    ``cache``: a dict the caller owns and may pass to several calls (one check reading the caller
    and the execution role): each managed policy ARN is then fetched once across all of them.
    ``NotFoundError`` when the principal does not exist; refused calls land in ``refused``. The calls
    run on the session's limiter (``max_workers``: on a private one of that size, for tests).
    """
    own = AwsLimiter(max_workers, name="nbjob-iam-read") if max_workers else None
    try:
        return start_read_policies(sess, principal_type, name, cache=cache, limiter=own).wait(sess.deadline)
    finally:
        if own is not None:
            own.shutdown()
