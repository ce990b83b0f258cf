"""The execution role the scheduler would pre-select, so a check without ``--role`` checks the same.

The scheduler's order: the user's saved default (its JupyterLab setting
``@amzn/sagemaker-jupyter-scheduler:advanced-options``, ``advancedOptions.role_arn``), else the first
role ``iam:ListRoles`` returns whose name starts with ``SagemakerJupyterScheduler``.
"""

from __future__ import annotations

from pathlib import Path

from ..aws import AwsSession, Role, list_roles
from ..scheduler_settings import DEFAULT_ROLE_PREFIX, SchedulerSettings, read_scheduler_settings

SOURCE_SETTING = "scheduler_setting"
SOURCE_NAME_PREFIX = "role_name_prefix"


def default_role(
    session: AwsSession,
    *,
    roles: list[Role] | None = None,
    settings_dir: Path | None = None,
    settings: SchedulerSettings | None = None,
) -> tuple[Role | None, str | None, str | None]:
    """``(role or None, role ARN or None, source or None)``.

    From the scheduler's setting only the ARN is known (the role is looked up by the caller, with
    ``iam:GetRole``); from ``iam:ListRoles`` the role itself comes back, trust policy included.
    ``roles`` is an already fetched ListRoles answer (no call is made then); ``settings`` the scheduler's
    settings already read (else they are read from ``settings_dir``).
    """
    arn = (settings or read_scheduler_settings(settings_dir)).role_arn
    if arn:
        return None, arn, SOURCE_SETTING
    if roles is None:
        roles = list_roles(session)
    for role in roles:
        if role.name.startswith(DEFAULT_ROLE_PREFIX):
            return role, role.arn, SOURCE_NAME_PREFIX
    return None, None, None


def resolve_default_role(
    session: AwsSession, *, roles: list[Role] | None = None, settings_dir: Path | None = None
) -> tuple[str | None, str | None]:
    """``(role ARN or None, source)`` where source is ``"scheduler_setting"``, ``"role_name_prefix"``
    or None when there is no default."""
    _, arn, source = default_role(session, roles=roles, settings_dir=settings_dir)
    return arn, source
