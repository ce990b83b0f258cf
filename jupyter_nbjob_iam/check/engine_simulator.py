"""The simulator engine: AWS's ``iam:SimulatePrincipalPolicy`` for the same concrete requests.

Each request goes with its catalog context as ``ContextEntries`` (``aws.simulate`` groups requests
sharing a resource and context into one paginated call, concurrently). The answer maps to the same
statuses as the local engine:

- a key of ``MissingContextValues`` that the request carries but the check cannot know
  (``CheckRequest.unknown_keys``) -> ``conditional``: the simulator does not say which statement
  needed it, so whatever its decision, the real outcome depends on that key;
- ``OrganizationsDecisionDetail.AllowedByOrganizations`` false -> ``denied`` by an SCP;
- ``explicitDeny`` -> ``denied``, naming the matched statements' policies;
- ``allowed`` -> ``ok``;
- ``PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary`` false -> ``denied`` by the boundary;
- otherwise ``missing``.

``principal_arn`` must be the IAM user or role ARN (for an assumed role, the role's ARN from
``iam:GetRole``, with its path): the simulator refuses session ARNs.
"""

from __future__ import annotations

from ..aws import SimDecision, SimRequest, SimStatement
from ..aws._tasks import AwsLimiter, Pending, chain
from ..aws.session import AwsSession
from ..aws.simulator import start_simulate
from ..catalog import CheckRequest
from .report import DecidedBy
from .statements import Outcome, boundary_denied, deny_reason

_SOURCES = {
    "user": "inline",
    "role": "inline",
    "group": "group-inline",
    "aws-managed": "managed",
    "user-managed": "managed",
    "resource": "resource",
}


def _decided_by(statement: SimStatement, effect: str) -> DecidedBy:
    policy_id = statement.source_policy_id or "unnamed policy"
    kind = (statement.source_policy_type or "").lower()
    if "boundary" in policy_id.lower() or "boundary" in kind:
        source = "boundary"
    else:
        source = _SOURCES.get(kind, kind or "unknown")
    name = policy_id.rsplit("/", 1)[-1] if policy_id.startswith("arn:") else policy_id
    return DecidedBy(name, source, None, effect)


def outcome(request: CheckRequest, decision: SimDecision, boundary_name: str | None = None) -> Outcome:
    """The status of one simulated request (see the module docstring)."""
    unknown = tuple(k for k in decision.missing_context if request.is_unknown(k))
    effect = "Deny" if decision.decision == "explicitDeny" else "Allow"
    decided = tuple(_decided_by(s, effect) for s in decision.matched)
    if unknown:
        return Outcome(request, "conditional", decided, unknown)
    if decision.allowed_by_organizations is False:
        return Outcome(
            request,
            "denied",
            (DecidedBy("service control policy", "scp", None, "Deny"),),
            reason=f"A service control policy of your AWS organization blocks {request.action}.",
        )
    if decision.decision == "explicitDeny":
        return Outcome(request, "denied", decided, reason=deny_reason(request.action, decided))
    if decision.allowed:
        return Outcome(request, "ok", decided)
    if decision.allowed_by_boundary is False:
        return boundary_denied(request, boundary_name or "")
    return Outcome(request, "missing")


def start_simulate_requests(
    sess: AwsSession,
    principal_arn: str,
    requests: list[CheckRequest],
    *,
    boundary_name: str | None = None,
    probe: bool = False,
) -> Pending[list[Outcome]]:
    """Start simulating on the session's limiter and return at once (see ``simulate_requests``)."""
    sim_requests = [SimRequest(r.action, r.resource, r.context) for r in requests]

    def outcomes(decisions: list[SimDecision]) -> list[Outcome]:
        return [outcome(r, d, boundary_name) for r, d in zip(requests, decisions, strict=True)]

    if probe and len(sim_requests) > 1:
        first = start_simulate(sess, principal_arn, sim_requests[:1])

        def rest(head: list[SimDecision]) -> Pending[list[Outcome]]:
            tail = start_simulate(sess, principal_arn, sim_requests[1:])
            return Pending(tail.future, lambda: outcomes(head + tail.result()))

        return chain(first, rest)
    whole = start_simulate(sess, principal_arn, sim_requests)
    return Pending(whole.future, lambda: outcomes(whole.result()))


def simulate_requests(
    sess: AwsSession,
    principal_arn: str,
    requests: list[CheckRequest],
    *,
    boundary_name: str | None = None,
    max_workers: int | None = None,
    probe: bool = False,
) -> list[Outcome]:
    """One :class:`Outcome` per request, in order. ``AccessDeniedError`` when the simulator is refused.

    ``probe``: ask about the first request alone before the rest, so that a refused (or missing)
    simulator costs one call rather than one per group of requests (``auto`` mode, which then falls
    back to reading the policies; one round trip more when the simulator answers). ``max_workers``:
    the calls run on a private limiter of that size instead of the session's (tests).
    """
    if max_workers:
        sess = sess.with_limiter(AwsLimiter(max_workers, name="nbjob-iam-sim"))
    try:
        pending = start_simulate_requests(sess, principal_arn, requests, boundary_name=boundary_name, probe=probe)
        return pending.wait(sess.deadline)
    finally:
        if max_workers:
            sess.limiter.shutdown()
