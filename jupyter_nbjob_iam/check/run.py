"""``run_check``: which of the guide's statements are missing for this identity and execution role.

The AWS reads form a small dependency graph, run on the session's limiter (the process-wide pool and
bound on AWS calls) so that independent calls overlap and each call starts as soon as its input is
known (see ``_Check._advance``). Only the calling thread waits; pool threads never do:

```
sts:GetCallerIdentity ──► identity (iam:GetRole for an assumed role) ──► simulate identity (+ KMS)
        │          └────► read the identity's policies (name from the caller ARN)     (local engine)
        └─(role ARN)────► iam:GetRole ──────────────────────────────► simulate the role
role name / ListRoles ──► read the role's policies                                    (local engine)
```

One ``sts:GetCallerIdentity`` per check; one shared ``policy_cache`` so each managed policy is fetched
once, whoever it is attached to. ``auto`` simulates first and reads the policies of a principal only
when the simulator is refused for it. Nothing here evaluates policies itself: the local engine does
(``engine_local``), the simulator engine maps AWS's answers (``engine_simulator``), the trust check
reads the trust policy (``trust``), and ``statements.summarize`` turns per-request answers into one
status per statement.

Errors are deterministic: inputs are validated before the first call; when a call fails the graph
still runs every node whose inputs are known (so which calls ran never depends on timing), and of
the failures the one ``pick_error`` ranks first is raised (bad input before credentials before
not-found before refused before unreachable; ties by the fixed ``NODES`` order). Past the session's
deadline the check stops waiting and raises ``DeadlineError`` naming the slow call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..aws import AwsSession, Identity, Role, identity_from_caller
from ..aws._tasks import AwsLimiter, Pending, TaskGroup, pick_error
from ..aws.policies import start_read_policies
from ..catalog import CheckRequest, RequiredStatement, Scope, build_requests, required_statements
from ..errors import AccessDeniedError, AwsError, CredentialsError, NbJobIamError
from ..scheduler_env import detect_scheduler
from ..scheduler_settings import DEFAULT_ROLE_PREFIX, SCHEDULER_PLUGIN, read_scheduler_settings
from .default_role import SOURCE_NAME_PREFIX, SOURCE_SETTING, default_role
from .engine_local import LocalEngine
from .engine_simulator import start_simulate_requests
from .inputs import CheckInputs, KeyInput, describe_keys, gather_inputs, needs_lookup, resolve_keys, scope_inputs
from .inputs_report import bucket_rows, inputs_json, inputs_notes
from .report import TARGET_ORDER, IdentitySummary, Report, RoleSummary, StatementResult, TargetResult
from .scope import build_scope, caller_principal, fetch_role, role_name, validate_inputs
from .statements import Outcome, summarize, uniform
from .trust import check_trust

LOCAL, SIMULATOR = "local", "simulator"
# The graph's nodes, in the order that breaks ties between failures of the same kind.
NODES = (
    "caller",
    "default",
    "role",
    "identity",
    "role_policies",
    "identity_policies",
    "role_sim",
    "identity_sim",
    "kms_keys",
)

ROOT_DETAIL = "Root account: IAM policies do not limit the root user, so this is allowed."
FEDERATED_DETAIL = (
    "Federated user session: its permissions are those of the IAM user who created it, narrowed by a "
    "session policy that AWS does not let anyone read back, so they cannot be checked."
)
KMS_NOTE = (
    "The KMS statement is checked for your own identity, where the guide attaches it (you start the "
    "jobs, and SageMaker and S3 use the key on your behalf). The key's own key policy must allow it "
    "too: this check reads IAM policies only."
)
# What the scheduler's form does with saved keys (its advanced options): it applies them once the person
# turns encryption on for the job.
SAVED_KEYS_NOTE = (
    "The scheduler applies saved KMS keys only when encryption is turned on in the job's form; they were "
    "checked as the keys in effect."
)

# (label, statement, requests): label is the target, or "role-kms" for the role's use of the key.
Batch = tuple[str, RequiredStatement, list[CheckRequest]]


def legacy_counts(env=None) -> tuple[bool, str]:
    """``(legacy statements count for ok, which scheduler is installed)``: only scheduler versions
    before 3.0 use the ``S3DriverAccess`` statements."""
    env = env or detect_scheduler()
    if not env.installed:
        return False, "the scheduler is not installed in this environment"
    major = (env.version or "").split(".", 1)[0]
    installed = f"amazon-sagemaker-jupyter-scheduler {env.version} is installed"
    return (major.isdigit() and int(major) < 3), installed


class _Check:
    def __init__(
        self,
        session: AwsSession,
        *,
        role: str | None,
        kms_key_arn: str | None,
        engine: str,
        policy_cache: dict | None,
        settings_dir: Path | None,
        now: datetime | None,
        inputs: dict[str, Any] | None = None,
    ) -> None:
        self.sess = session
        self.role_text, self.role_is_arn = validate_inputs(role, None, engine)
        self.inputs: CheckInputs = gather_inputs(
            read_scheduler_settings(settings_dir), kms_key_arn=kms_key_arn, **(inputs or {})
        )
        self.keys: dict[str, KeyInput] = self.inputs.keys()
        self.scope: Scope | None = None
        self.engine = engine
        self.cache: dict[str, Any] = policy_cache if policy_cache is not None else {}
        self.settings_dir = settings_dir
        self.now = now or datetime.now(timezone.utc)
        first = LOCAL if engine == LOCAL else SIMULATOR
        self.mode = {"identity": first, "role": first}
        self.notes: list[str] = []
        self.nodes: dict[str, Pending[Any]] = {}
        self.results: dict[str, Any] = {}
        self.failures: list[tuple[int, BaseException]] = []
        self.batches: dict[str, list[Batch]] | None = None
        self.tasks = TaskGroup(session.limiter, session.deadline)
        self.role_source: str | None = None
        self.fallbacks: dict[str, list[str]] = {}  # why the simulator was not used -> for whom

    # -- the graph of AWS calls --------------------------------------------------------------
    def _start(self, name: str, fn: Callable[..., Any], *args: Any) -> None:
        """Start one node: ``fn`` makes its AWS calls on the pool and never waits for other work."""
        if name not in self.nodes:
            self.nodes[name] = Pending.of(self.tasks.spawn(fn, *args, key=(NODES.index(name),)))

    def _start_pending(self, name: str, starter: Callable[..., Pending[Any]], *args: Any) -> None:
        """Start a node that is work of its own (a policy read, a simulation): ``starter`` returns at once."""
        if name in self.nodes:
            return
        try:
            self.nodes[name] = starter(*args)
        except BaseException as exc:  # refused before any call (bad input): a failure of the node
            failed: Any = Future()
            failed.set_exception(exc)
            self.nodes[name] = Pending.of(failed)

    def _read(self, kind: str, name: str) -> Pending[Any]:
        return start_read_policies(self.sess, kind, name, cache=self.cache)

    def _find_default(self) -> tuple[Role | None, str | None, str | None]:
        try:
            found, arn, source = default_role(self.sess, settings=self.inputs.settings)
        except AccessDeniedError as exc:
            self.notes.append(
                "No execution role was given and iam:ListRoles was refused, so the scheduler's default role "
                f"could not be found ({exc.details.get('aws_error_code', 'AccessDenied')})."
            )
            return None, None, None
        if found is None and arn is not None:
            with _about_setting():
                validate_inputs(arn, None, "auto")
        return found, arn, source

    def _fetch_setting_role(self, arn: str) -> Role:
        with _about_setting():
            return fetch_role(self.sess, arn)

    def _role_state(self) -> tuple[bool, Role | None, str | None]:
        """``(resolved, role, role name when known)``; starts the lookups it can."""
        caller = self.results.get("caller")
        if self.role_text is not None:
            if caller is not None or not self.role_is_arn:  # an ARN is checked against the caller's account
                self._start("role", fetch_role, self.sess, self.role_text)
            return "role" in self.results, self.results.get("role"), role_name(self.role_text)
        self._start("default", self._find_default)
        if "default" not in self.results:
            return False, None, None
        found, arn, self.role_source = self.results["default"]
        if found is not None or arn is None:
            return True, found, found.name if found else None
        if caller is not None:
            self._start("role", self._fetch_setting_role, arn)
        return "role" in self.results, self.results.get("role"), arn.rsplit("/", 1)[-1]

    def _advance(self) -> None:
        lookups = needs_lookup(self.inputs)
        if lookups:
            self._start("kms_keys", describe_keys, self.sess, lookups)
        resolved, role, name = self._role_state()
        if name and self.mode["role"] == LOCAL:
            self._start_pending("role_policies", self._read, "role", name)
        caller = self.results.get("caller")
        if caller is not None:
            self._start("identity", identity_from_caller, self.sess, caller)
            principal = caller_principal(caller["Arn"])
            if principal and self.mode["identity"] == LOCAL:
                self._start_pending("identity_policies", self._read, *principal)
        identity: Identity | None = self.results.get("identity")
        if identity is None or not resolved or (lookups and "kms_keys" not in self.results):
            return
        batches = self._plan(identity, role)
        if self.mode["identity"] == SIMULATOR and _evaluated(identity):
            flat = [r for _, _, reqs in batches["identity"] for r in reqs]
            self._start_pending("identity_sim", self._simulate, identity.principal_arn, flat, None)
        if role is not None and self.mode["role"] == SIMULATOR:
            flat = [r for _, _, reqs in batches["role"] for r in reqs]
            boundary = role.boundary_arn.rsplit("/", 1)[-1] if role.boundary_arn else None
            self._start_pending("role_sim", self._simulate, role.arn, flat, boundary)

    def _simulate(self, principal_arn: str, requests: list[CheckRequest], boundary: str | None) -> Pending[Any]:
        return start_simulate_requests(
            self.sess, principal_arn, requests, boundary_name=boundary, probe=self.engine == "auto"
        )

    def _collect(self, name: str, pending: Pending[Any]) -> None:
        try:
            self.results[name] = pending.result()
        except NbJobIamError as exc:
            if name == "role_policies" and exc.status == 404:  # the role does not exist
                exc.details.setdefault("field", "role")
            fallback = name.endswith("_sim") and self.engine == "auto"
            if not fallback or isinstance(exc, CredentialsError) or not isinstance(exc, AwsError):
                self.failures.append((NODES.index(name), exc))
                return
            target = name.removesuffix("_sim")
            self.mode[target] = LOCAL
            self.results[name] = None
            if isinstance(exc, AccessDeniedError):
                why = f"was refused ({exc.details.get('aws_error_code', 'AccessDenied')})"
            else:  # e.g. an endpoint without the simulator, such as the sandbox
                why = f"could not be used ({exc.message.rstrip('.')})"
            self.fallbacks.setdefault(why, []).append("your identity" if target == "identity" else "the execution role")

    def _fallback_notes(self) -> list[str]:
        notes = []
        order = ("your identity", "the execution role")
        for why, whom in sorted(self.fallbacks.items(), key=lambda kv: min(order.index(w) for w in kv[1])):
            ordered = [w for w in order if w in whom]
            notes.append(
                f"The policy simulator (iam:SimulatePrincipalPolicy) {why} for {' and '.join(ordered)}, so the "
                "policies were read and evaluated locally instead."
            )
        return notes

    def _run_graph(self) -> None:
        deadline = self.sess.deadline
        collected: set[str] = set()
        try:
            self._start("caller", self.sess.caller_identity)
            while True:
                self._advance()  # after a failure too: what runs depends on results, never on timing
                pending = {p.future: n for n, p in self.nodes.items() if n not in collected}
                if not pending:
                    break
                timeout = None if deadline is None else min(deadline.remaining() or 0.0, 0.25)
                done, _ = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
                if not done and deadline is not None and deadline.expired():
                    raise deadline.error()
                for future in sorted(done, key=lambda f: NODES.index(pending[f])):
                    collected.add(pending[future])
                    self._collect(pending[future], self.nodes[pending[future]])
        finally:
            self.tasks.seal()
        error = pick_error(self.failures)
        if error is not None:
            raise error

    # -- what is checked ---------------------------------------------------------------------
    def _plan(self, identity: Identity, role: Role | None) -> dict[str, list[Batch]]:
        if self.batches is not None:
            return self.batches
        self.keys = resolve_keys(
            self.inputs,
            self.results.get("kms_keys") or {},
            partition=identity.partition,
            region=self.sess.region,
            account=identity.account,
        )
        scope = self.scope = build_scope(
            identity, self.sess.region, role.arn if role else None, **scope_inputs(self.inputs, self.keys)
        )
        key_arns = scope.kms_key_arns()
        mine: list[Batch] = [
            ("identity", s, build_requests(s, scope, now=self.now)) for s in required_statements("identity")
        ]
        theirs: list[Batch] = []
        if key_arns:
            for stmt in required_statements("kms", key_arns):
                mine.append(("kms", stmt, build_requests(stmt, scope, now=self.now)))
        if role is not None:
            theirs = [("role", s, build_requests(s, scope, now=self.now)) for s in required_statements("role")]
            if key_arns:
                role_scope = build_scope(
                    identity, self.sess.region, role.arn, principal_arn=role.arn, **scope_inputs(self.inputs, self.keys)
                )
                for stmt in required_statements("kms", key_arns):
                    theirs.append(("role-kms", stmt, build_requests(stmt, role_scope, now=self.now)))
        self.batches = {"identity": mine, "role": theirs}
        return self.batches

    def _outcomes(self, principal: str) -> list[tuple[str, RequiredStatement, list[Outcome]]]:
        batches = self.batches[principal] if self.batches else []
        flat = [r for _, _, reqs in batches for r in reqs]
        if self.mode[principal] == SIMULATOR:
            answers = self.results[f"{principal}_sim"]
        else:
            engine = LocalEngine(self.results[f"{principal}_policies"])
            self.notes.extend(n for n in engine.notes() if n not in self.notes)
            answers = [engine.decide(r) for r in flat]
        out, i = [], 0
        for label, stmt, reqs in batches:
            out.append((label, stmt, answers[i : i + len(reqs)]))
            i += len(reqs)
        return out

    # -- the report ----------------------------------------------------------------------------
    def run(self) -> Report:
        self._run_graph()
        identity: Identity = self.results["identity"]
        role: Role | None = self.results.get("role")
        if role is None and "default" in self.results:
            role = self.results["default"][0]
        batches = self._plan(identity, role)
        self.notes[:0] = list(identity.warnings) + self._fallback_notes()
        self._role_notes(role, self.role_source)

        statements: dict[str, list[StatementResult]] = {t: [] for t in TARGET_ORDER}
        used: set[str] = set()
        if _evaluated(identity):
            used.add(self.mode["identity"])
            for label, stmt, outcomes in self._outcomes("identity"):
                statements[label].append(summarize(stmt, outcomes))
        else:
            status, detail = ("ok", ROOT_DETAIL) if identity.kind == "root" else ("unknown", FEDERATED_DETAIL)
            for label, stmt, _ in batches["identity"]:
                statements[label].append(uniform(stmt, status, detail))
        if role is not None:
            used.add(self.mode["role"])
            statements["trust"].append(check_trust(role.trust_policy))
            for label, stmt, outcomes in self._outcomes("role"):
                if label == "role":
                    statements["role"].append(summarize(stmt, outcomes))
                else:
                    self._role_kms_note(role, outcomes)
        for batch in batches.values():
            for _, _, reqs in batch:
                for r in reqs:
                    if r.note and r.note not in self.notes:
                        self.notes.append(r.note)
        assert self.scope is not None  # set by _plan
        if self.scope.kms_key_arns():
            self.notes.append(KMS_NOTE)
            if any(k.source == "scheduler_settings" and k.resolved_arn for k in self.keys.values()):
                self.notes.append(SAVED_KEYS_NOTE)
        self.notes.extend(inputs_notes(self.scope, self.keys))
        environment = detect_scheduler()
        if environment.note:
            self.notes.append(environment.note)

        principal = {
            "identity": identity.principal_arn or identity.arn,
            "kms": identity.principal_arn or identity.arn,
            "role": role.arn if role else None,
            "trust": role.arn if role else None,
        }
        targets = tuple(TargetResult(t, principal[t], tuple(statements[t])) for t in TARGET_ORDER if statements[t])
        legacy_counted, installed = legacy_counts(environment)
        counted = [s for t in targets for s in t.statements if legacy_counted or not s.legacy]
        legacy_gaps = [s.sid for t in targets for s in t.statements if s.legacy and s.status != "ok"]
        if legacy_gaps and not legacy_counted:
            self.notes.append(
                f"{', '.join(dict.fromkeys(legacy_gaps))} is needed only by scheduler versions before 3.0 "
                f"({installed}), so its gaps do not count against the result."
            )
        return Report(
            # Without an execution role, trust and the role's own permissions were never checked:
            # that is not "all ok", whatever the identity's statements say.
            # A key that could not be resolved was not checked: not "all ok" either.
            ok=role is not None
            and all(s.status == "ok" for s in counted)
            and not any(k.error for k in self.keys.values()),
            engine=_engine_label(used, self.engine),
            account=identity.account,
            region=self.sess.region,
            profile=self.sess.profile,
            identity=IdentitySummary(
                identity.arn, identity.kind, identity.principal_arn, identity.editable, identity.not_editable_reason
            ),
            role=RoleSummary(
                role.arn, role.name, role.editable, role.not_editable_reason, role.trusts_sagemaker, role.trusts_events
            )
            if role
            else None,
            targets=targets,
            notes=tuple(dict.fromkeys(self.notes)),
            inputs=inputs_json(self.inputs, self.keys, self.scope, role, self.role_text, self.role_source),
            buckets=tuple(bucket_rows(self.scope)),
            environment={"scheduler": environment.to_json()},
        )

    def _role_notes(self, role: Role | None, source: str | None) -> None:
        if role is not None and source == SOURCE_SETTING:
            self.notes.append(
                f"Checked the execution role {role.arn}: the scheduler's saved default "
                f"({SCHEDULER_PLUGIN}:advanced-options)."
            )
        elif role is not None and source == SOURCE_NAME_PREFIX:
            self.notes.append(
                f"Checked the execution role {role.arn}: the first role named {DEFAULT_ROLE_PREFIX}*, the one "
                "the scheduler pre-selects."
            )
        elif role is None:
            self.notes.append(
                "No execution role was given and none was found (the scheduler has no saved default and no "
                f"role is named {DEFAULT_ROLE_PREFIX}*): only your own permissions were checked, without the "
                "role's policy or its trust relationship."
            )

    def _role_kms_note(self, role: Role, outcomes: list[Outcome]) -> None:
        gaps = list(dict.fromkeys(o.request.action for o in outcomes if o.status != "ok"))
        if gaps:
            self.notes.append(
                f"The execution role {role.name} is not plainly allowed {', '.join(gaps)} on the KMS key: the "
                "guide grants the key to you only, but jobs that encrypt their output or volume with it may "
                "also need the role to use the key (in its policy or the key policy)."
            )


@contextmanager
def _about_setting() -> Iterator[None]:
    """Errors about the scheduler's saved role say where the role came from."""
    try:
        yield
    except NbJobIamError as exc:
        exc.message = (
            f"The scheduler's saved default role ({SCHEDULER_PLUGIN}:advanced-options role_arn) cannot be used: "
            f"{exc.message}"
        )
        exc.args = (exc.message,)
        raise


def _evaluated(identity: Identity) -> bool:
    """Whether the identity has IAM policies to evaluate (not root, not a federated user session)."""
    return identity.kind not in ("root", "federated-user") and identity.principal_arn is not None


def _engine_label(used: set[str], requested: str) -> str:
    if used == {SIMULATOR, LOCAL}:
        return "simulator+local"
    if used:
        return next(iter(used))
    return SIMULATOR if requested == SIMULATOR else LOCAL


def run_check(
    session: AwsSession,
    *,
    role: str | None = None,
    kms_key_arn: str | None = None,
    engine: str = "auto",
    policy_cache: dict | None = None,
    output_kms_key: str | None = None,
    volume_kms_key: str | None = None,
    s3_input: str | None = None,
    s3_output: str | None = None,
) -> Report:
    """Check the identity of ``session`` and the execution role ``role`` (name or ARN; None: the
    scheduler's default, else the identity alone) against the guide's policies.

    ``engine``: ``auto`` (the simulator, falling back to local evaluation per principal when it is
    refused), ``local`` or ``simulator``. ``policy_cache`` may be shared across checks (managed
    policies are then fetched once for all of them). Malformed inputs raise ``InputError`` naming the
    field before any AWS call; AWS failures raise the project's errors.

    The S3 folders (``s3://bucket[/prefix]``) and the output and volume KMS keys (key ARN, key id, alias
    name or alias ARN; ``kms_key_arn`` is the output key, as an ARN) default to the scheduler's saved
    settings, then to its defaults (its own bucket, no key); the report says which source each came from.
    """
    return check(
        session,
        role=role,
        kms_key_arn=kms_key_arn,
        engine=engine,
        policy_cache=policy_cache,
        output_kms_key=output_kms_key,
        volume_kms_key=volume_kms_key,
        s3_input=s3_input,
        s3_output=s3_output,
    )


def check(
    session: AwsSession,
    *,
    role: str | None = None,
    kms_key_arn: str | None = None,
    engine: str = "auto",
    policy_cache: dict | None = None,
    max_workers: int | None = None,
    settings_dir: Path | None = None,
    now: datetime | None = None,
    output_kms_key: str | None = None,
    volume_kms_key: str | None = None,
    s3_input: str | None = None,
    s3_output: str | None = None,
) -> Report:
    """``run_check`` with the knobs tests and the benchmark turn: ``max_workers`` (a private bound
    on AWS calls instead of the session's limiter; 1 = one AWS call at a time), the JupyterLab
    ``settings_dir`` holding the scheduler's setting, and the time ``now``."""
    inputs = {
        "output_kms_key": output_kms_key,
        "volume_kms_key": volume_kms_key,
        "s3_input": s3_input,
        "s3_output": s3_output,
    }
    own = AwsLimiter(max_workers, name="nbjob-iam-check") if max_workers else None
    try:
        return _Check(
            session.with_limiter(own) if own else session,
            role=role,
            kms_key_arn=kms_key_arn,
            engine=engine,
            policy_cache=policy_cache,
            settings_dir=settings_dir,
            now=now,
            inputs=inputs,
        ).run()
    finally:
        if own is not None:
            own.shutdown()
