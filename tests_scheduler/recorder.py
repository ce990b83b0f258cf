"""Record every AWS call the real scheduler makes, through aiobotocore's own event hooks.

The scheduler builds a fresh ``aiobotocore`` session for every client (``clients.get_session``). The
recorder wraps that factory so each session carries three handlers:

- ``provide-client-params.*.*``: the operation and its parameters, as the scheduler passed them;
- ``after-call.*.*``: whether the call succeeded (HTTP status, AWS error code);
- ``before-call.sagemaker.StopTrainingJob``: moto 5.2 does not implement StopTrainingJob, so only that
  one operation is answered here, after botocore validated the parameters against the real service
  model (the same guarantee botocore's ``Stubber`` gives). Every other call goes to moto over HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Operations moto does not implement, answered locally with a response of the real shape.
STUBBED_OPERATIONS = {("sagemaker", "StopTrainingJob"): {}}


@dataclass
class Call:
    operation: str  # the user operation this call belongs to, e.g. "run now"
    service: str  # botocore service name: s3, sagemaker, events, iam, sts
    api: str  # operation name: PutObject, CreateTrainingJob, ...
    params: dict[str, Any]
    status: int | None = None
    error_code: str | None = None
    stubbed: bool = False


@dataclass
class Recorder:
    calls: list[Call] = field(default_factory=list)
    operation: str = "setup"
    _environments: dict[str, dict[str, str]] = field(default_factory=dict)

    def start(self, operation: str) -> None:
        self.operation = operation

    def of(self, operation: str) -> list[Call]:
        return [c for c in self.calls if c.operation == operation]

    def _on_params(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        kept = {k: v for k, v in params.items() if k != "Body"}
        if model.name == "CreateTrainingJob":
            self._environments[params["TrainingJobName"].lower()] = dict(params.get("Environment") or {})
        self.calls.append(Call(self.operation, model.service_model.service_name, model.name, kept))

    def _on_after(self, http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        for call in reversed(self.calls):
            if call.api == model.name and call.status is None:
                call.status = getattr(http_response, "status_code", None)
                call.error_code = (parsed.get("Error") or {}).get("Code")
                break
        if model.name == "DescribeTrainingJob" and "Environment" not in parsed and "TrainingJobName" in parsed:
            parsed["Environment"] = self._environments.get(parsed["TrainingJobName"].lower(), {})

    def _stub(self, model: Any, **_: Any) -> Any:
        key = (model.service_model.service_name, model.name)
        if key not in STUBBED_OPERATIONS:
            return None
        from botocore.awsrequest import AWSResponse

        for call in reversed(self.calls):
            if call.api == model.name:
                call.stubbed = True
                break
        return AWSResponse("https://stubbed.invalid", 200, {}, None), dict(STUBBED_OPERATIONS[key])

    def session_factory(self, real_get_session: Any) -> Any:
        def get_session() -> Any:
            sess = real_get_session()
            sess.register("provide-client-params.*.*", self._on_params)
            sess.register("after-call.*.*", self._on_after)
            sess.register("before-call.*.*", self._stub)
            return sess

        return get_session
