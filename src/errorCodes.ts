/**
 * Every `error_code` of the REST API, mirroring jupyter_nbjob_iam/error_codes.py (and docs/API.md):
 * tests/contract/test_error_codes.py fails when the two lists differ.
 */
export const SERVER_ERROR_CODES = [
  'internal_error',
  'invalid_input',
  'not_found',
  'plan_conflict',
  'aws_error',
  'credentials',
  'access_denied',
  'endpoint_unreachable',
  'deadline_exceeded',
  'body_too_large',
  'sso_login_expired',
  'login_expired',
  'profile_not_found',
  'unknown_identity',
  'role_not_found',
  'user_not_found',
  'role_in_other_account',
  'role_arn_mismatch',
  'principal_not_writable',
  'kms_alias_not_supported',
  'plan_not_found',
  'backup_not_found',
  'account_mismatch',
  'not_tool_owned',
  'already_undone',
  'undo_unresolved',
  'backup_mismatch',
  'plan_invalid',
  'backup_invalid',
  'journal_invalid',
  'state_dir_unusable',
  'state_dir_unsafe',
  'simulator_incomplete',
  'catalog_invalid',
  'sandbox_start_failed'
] as const;

/** A code the server extension answers with. */
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];

/** Codes the panel gives failures that never reached the extension's own error map. */
export type ClientErrorCode =
  | 'network'
  | 'bad_response'
  | 'extension_missing'
  | 'jupyter_auth'
  | 'client_error'
  | `http_${number}`;

export type ErrorCode = ServerErrorCode | ClientErrorCode;

const KNOWN: ReadonlySet<string> = new Set(SERVER_ERROR_CODES);

/** True for the codes of jupyter_nbjob_iam/error_codes.py (a newer server may send others). */
export function isServerErrorCode(code: string): code is ServerErrorCode {
  return KNOWN.has(code);
}
