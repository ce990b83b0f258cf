/** Command ids, and the REST API's JSON shapes (mirroring the server's models, snake_case). */

export const PLUGIN_ID = 'jupyter_nbjob_iam:plugin';
export const PANEL_ID = 'nbjob-iam-panel';

export namespace CommandIDs {
  export const open = 'nbjob-iam:open';
  export const check = 'nbjob-iam:check';
  export const fix = 'nbjob-iam:fix';
}

/** The one error shape of every endpoint. */
export interface IErrorBody {
  message: string;
  reason: string;
  error_code: string;
  details: { [key: string]: unknown };
}

/** GET /nbjob-iam/context */
export interface IContext {
  profiles: string[];
  default_profile: string | null;
  region: string;
  region_source: string;
  endpoint_url?: string | null;
  scheduler: { role_arn: string | null };
  settings: { inline_policy_name: string };
  version: string;
}

export type IdentityKind =
  | 'user'
  | 'assumed-role'
  | 'sso-role'
  | 'federated-user'
  | 'root'
  | 'service-linked-role';

/** GET /nbjob-iam/identity */
export interface IIdentity {
  arn: string;
  kind: IdentityKind;
  account: string;
  principal_arn: string | null;
  editable: boolean;
  not_editable_reason?: string | null;
}

/** One entry of GET /nbjob-iam/roles */
export interface IRole {
  arn: string;
  name: string;
  path: string;
  trusts_sagemaker: boolean;
  trusts_events: boolean;
  editable: boolean;
  not_editable_reason?: string | null;
}

export type StatementStatus =
  'ok' | 'missing' | 'partial' | 'denied' | 'conditional' | 'unknown';

export interface IStatementResult {
  sid: string;
  status: StatementStatus;
  detail: string;
  why?: string;
  legacy?: boolean;
  missing_actions?: string[];
  missing_services?: string[];
  unknown_keys?: string[];
  decided_by?: unknown[];
  statement?: unknown;
}

export interface ITargetResult {
  target: 'identity' | 'trust' | 'role' | 'kms';
  principal_arn?: string | null;
  statements: IStatementResult[];
}

/** POST /nbjob-iam/check */
export interface IReport {
  ok: boolean;
  engine: string;
  account: string;
  region: string;
  profile: string | null;
  identity: {
    arn: string;
    kind: IdentityKind;
    principal_arn: string | null;
    editable: boolean;
  };
  role: { arn: string; editable: boolean } | null;
  targets: ITargetResult[];
  notes?: string[];
}

/** The body of check and plan. */
export interface ICheckRequest {
  profile?: string | null;
  region?: string | null;
  role_arn?: string | null;
  kms_key_arn?: string | null;
}
