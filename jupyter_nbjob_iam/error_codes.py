"""Every ``error_code`` the extension can answer with, in one place.

The REST API's error body is ``{message, reason, error_code, details}``; the panel branches on
``error_code`` (never on the message), ``docs/API.md`` lists these codes and ``src/errorCodes.ts``
mirrors them as a TypeScript union. ``tests/contract/test_error_codes.py`` fails when code in the
package raises a code missing here, or when the three lists drift apart.

A code may come with more than one HTTP status (an unknown profile the person typed is a 400, one
named by the environment a 502); ``statuses`` lists them, the usual one first.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorCode:
    code: str
    statuses: tuple[int, ...]
    meaning: str


_ALL = (
    # Generic, one per error class (errors.py)
    ErrorCode("internal_error", (500,), "An unexpected error; the Jupyter server log has the traceback."),
    ErrorCode("invalid_input", (400,), "A field of the request is malformed; `details.field` names it."),
    ErrorCode("not_found", (404,), "A named AWS entity does not exist."),
    ErrorCode("plan_conflict", (409,), "The live documents changed since the plan (or another apply runs)."),
    ErrorCode("aws_error", (502,), "AWS refused the call; `details.aws_error_code` is AWS's own code."),
    ErrorCode("credentials", (502,), "No usable AWS credentials (none, expired, incomplete, unreadable)."),
    ErrorCode("access_denied", (502,), "AWS answered AccessDenied; `details.denied_action` names the action."),
    ErrorCode("endpoint_unreachable", (502,), "AWS could not be reached, timed out or kept throttling."),
    ErrorCode("deadline_exceeded", (504,), "The request ran past its deadline; the message names the slow step."),
    ErrorCode("body_too_large", (413,), "The request body is larger than the server accepts (refused before parsing)."),
    # Credentials and profiles
    ErrorCode("sso_login_expired", (502,), "The AWS SSO login expired: the message names `aws sso login`."),
    ErrorCode("login_expired", (502,), "The AWS console sign-in expired: the message names `aws login`."),
    ErrorCode("profile_not_found", (400, 502), "The AWS profile is in neither the config nor the credentials file."),
    ErrorCode("unknown_identity", (502,), "The caller's ARN is of a kind the extension does not know."),
    # Roles and principals
    ErrorCode("role_not_found", (404,), "The execution role does not exist in the account."),
    ErrorCode("user_not_found", (404,), "The IAM user does not exist in the account."),
    ErrorCode("role_in_other_account", (400,), "The role ARN names another account than the credentials'."),
    ErrorCode("role_arn_mismatch", (400,), "The typed role ARN differs from the role's real ARN (path)."),
    ErrorCode("principal_not_writable", (400,), "The principal cannot be changed (root, service-linked, SSO)."),
    ErrorCode("kms_alias_not_supported", (400,), "A KMS alias where a key ARN is needed."),
    # Plans, apply and undo
    ErrorCode("plan_not_found", (404,), "No stored plan has this plan_id."),
    ErrorCode("backup_not_found", (404,), "No stored backup has this backup_id."),
    ErrorCode("account_mismatch", (409,), "The credentials belong to another account than the plan's or backup's."),
    ErrorCode("not_tool_owned", (400,), "The named policy exists and was not made by this tool."),
    ErrorCode("already_undone", (409,), "The backup was restored before."),
    ErrorCode("undo_unresolved", (409,), "A policy version the apply added cannot be identified: nothing restored."),
    ErrorCode(
        "backup_mismatch", (409,), "The backup does not match the plan it claims to be from (digest): nothing undone."
    ),
    ErrorCode("plan_invalid", (409,), "The stored plan file is damaged (not what the fix wrote): it is not used."),
    ErrorCode("backup_invalid", (409,), "The stored backup file is damaged: it is not used."),
    ErrorCode("journal_invalid", (409,), "The apply journal of a plan is damaged: it is not used."),
    ErrorCode("state_dir_unusable", (500,), "The plans-and-backups directory cannot be created, read or written."),
    ErrorCode(
        "state_dir_unsafe", (500,), "The plans-and-backups directory is a symbolic link, shared or not yours: not used."
    ),
    ErrorCode("simulator_incomplete", (502,), "AWS's policy simulator did not answer for every action."),
    # Installation (CLI only: these never reach the panel)
    ErrorCode("catalog_invalid", (500,), "The required-statement catalog shipped with the package is damaged."),
    ErrorCode("sandbox_start_failed", (500,), "The moto sandbox did not start."),
)

ERROR_CODES: dict[str, ErrorCode] = {entry.code: entry for entry in _ALL}


def is_registered(code: str) -> bool:
    """True when ``code`` is one of the documented error codes."""
    return code in ERROR_CODES
