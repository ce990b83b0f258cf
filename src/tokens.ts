/**
 * Command ids, and the REST API's JSON shapes (mirroring docs/API.md, snake_case).
 *
 * src/__tests__/contract.spec.tsx type-checks the server's real responses (JSON fixtures written by
 * tests/contract/test_rest_fixtures.py) against these interfaces, unknown fields included.
 */
import { ErrorCode } from './errorCodes';

export const PLUGIN_ID = 'jupyter_nbjob_iam:plugin';
export const PANEL_ID = 'nbjob-iam-panel';
/** The translation domain of every string the panel shows. */
export const TRANSLATION_DOMAIN = 'jupyter_nbjob_iam';
/** Where the panel keeps its state across page reloads (IStateDB). */
export const STATE_KEY = 'jupyter_nbjob_iam:panel-state';
/** The SageMaker scheduler's settings, whose `role_arn` is its default execution role. */
export const SCHEDULER_SETTINGS_ID =
  '@amzn/sagemaker-jupyter-scheduler:advanced-options';
export const COMMAND_CATEGORY = 'Notebook Jobs';

export namespace CommandIDs {
  export const open = 'nbjob-iam:open';
  export const check = 'nbjob-iam:check';
  export const fix = 'nbjob-iam:fix';
}

/** The one error shape of every endpoint. */
export interface IErrorBody {
  message: string;
  reason: string;
  error_code: ErrorCode;
  details: { [key: string]: unknown };
}

/** GET /nbjob-iam/context */
export interface IContext {
  /** The scheduler's saved defaults and the environment pre-flight (issue 11). */
  scheduler_settings?: ISchedulerSettings;
  environment?: IEnvironment;
  profiles: string[];
  default_profile: string | null;
  profile?: string | null;
  region: string;
  region_source: string;
  warnings?: string[];
  endpoint_url?: string | null;
  scheduler: { role_arn: string | null };
  settings: { inline_policy_name: string };
  /** The server extension's version: the panel compares it with its own. */
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
  principal_type?: string | null;
  principal_name?: string | null;
  path?: string | null;
  partition?: string;
  user_id?: string | null;
  session_name?: string | null;
  editable: boolean;
  not_editable_reason?: string | null;
  warnings?: string[];
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

/** GET /nbjob-iam/roles */
export interface IRolesResponse {
  roles: IRole[];
  default_role_arn: string | null;
  default_role_source: string | null;
}

export type StatementStatus =
  'ok' | 'missing' | 'partial' | 'denied' | 'conditional' | 'unknown';

export interface IDecidedBy {
  policy: string;
  source: string;
  sid?: string | null;
  effect?: string;
}

export interface IStatementResult {
  sid: string;
  status: StatementStatus;
  detail: string;
  why?: string | null;
  legacy?: boolean;
  missing_actions?: string[];
  missing_services?: string[];
  unknown_keys?: string[];
  decided_by?: IDecidedBy[];
  statement?: unknown;
}

export type TargetName = 'identity' | 'trust' | 'role' | 'kms';

export interface ITargetResult {
  target: TargetName;
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
    not_editable_reason?: string | null;
  };
  role: Omit<IRole, 'path'> | null;
  targets: ITargetResult[];
  notes?: string[];
  /** Where each input came from, the buckets checked, the scheduler pre-flight (issue 11). */
  inputs?: IReportInputs;
  buckets?: IReportBucket[];
  environment?: IEnvironment;
}

/** The body of check; plan adds `policy_name`. */
export interface ICheckRequest {
  profile?: string | null;
  region?: string | null;
  role_arn?: string | null;
  /** The output key; kept for older callers (= output_kms_key). */
  kms_key_arn?: string | null;
  /** Absent fields: the server uses the scheduler's saved settings, then its defaults. */
  s3_input?: string | null;
  s3_output?: string | null;
  output_kms_key?: string | null;
  volume_kms_key?: string | null;
  engine?: 'auto' | 'local' | 'simulator';
}

export interface IPlanRequest extends ICheckRequest {
  policy_name?: string | null;
  /** Write the AWS guide's broad statements instead of the scoped ones (least privilege). */
  as_guide?: boolean;
}

/** One write of a plan. */
export interface IWrite {
  write_id: string;
  api_call: string;
  target: TargetName;
  principal: IPrincipalRef;
  policy_name: string | null;
  policy_arn: string | null;
  adds_sids: string[];
  /** The report target each of adds_sids belongs to. */
  adds_targets?: TargetName[];
  adds_services: string[];
  /** Guide Sid -> the Sid it is written under (an existing, different statement kept that Sid). */
  sid_renames?: { [sid: string]: string };
  /** For iam:DeletePolicyVersion: the version removed (the tool's own policy only). */
  version_id?: string | null;
  before: unknown;
  after: unknown;
  size?: {
    after?: number;
    quota?: number;
    quota_key?: string;
    /** All inline policies of the principal together; null for managed and trust policies. */
    aggregate_after?: number | null;
  } | null;
  summary: string;
}

export interface ISkipped {
  target: TargetName;
  sid: string;
  status: StatementStatus;
  reason: string;
}

export interface IBlocked {
  target: TargetName;
  reason: string;
  sid?: string;
  kind?: string;
  principal?: IPrincipalRef;
  permission_set?: string | null;
  sids?: string[];
  statements?: unknown[];
  services?: string[];
}

export interface IPrincipalRef {
  type?: string;
  name?: string;
  arn?: string;
}

/** The bundle an administrator needs when the person cannot write. */
export interface IHandoff {
  summary: string;
  documents?: {
    target: TargetName;
    principal: IPrincipalRef;
    policy_name?: string | null;
    policy_arn?: string | null;
    document: unknown;
  }[];
  notes?: string[];
  cli_commands?: string;
  cloudformation?: string;
  sso?: {
    permission_set_name?: string;
    instructions?: string;
    cli_commands?: string;
  } | null;
  text: string;
}

/** POST /nbjob-iam/plan */
export interface IPlan {
  plan_id: string;
  created_at: string;
  profile: string | null;
  region: string;
  account: string;
  role_arn: string | null;
  kms_key_arn: string | null;
  policy_name: string;
  nothing_to_do: boolean;
  writes: IWrite[];
  skipped: ISkipped[];
  blocked: IBlocked[];
  notes?: string[];
  handoff: IHandoff | string | null;
  /** What the plan read, so apply can compare (opaque to the panel). */
  reads?: unknown;
  /** True when the plan writes the guide's broad statements instead of least privilege. */
  as_guide?: boolean;
  /** How the statements are scoped, in words, with warnings for the broad mode. */
  mode?: IPlanMode;
  /** The check's inputs the plan is scoped to and verified with (S3 folders, exact key ARNs). */
  inputs?: IPlanInputs;
}

export interface IPlanInputs {
  s3_input: string | null;
  s3_output: string | null;
  output_kms_key: string | null;
  volume_kms_key: string | null;
}

export interface IPlanMode {
  name: 'least_privilege' | 'as_guide';
  text: string;
  warnings: string[];
}

export interface IWriteRef {
  write_id?: string;
  api_call: string;
  summary?: string;
  /** True when the write landed in an earlier apply of the same plan. */
  resumed?: boolean;
}

/** POST /nbjob-iam/apply */
export interface IApplyResult {
  plan_id: string;
  status: 'applied' | 'partial' | 'failed';
  backup_id: string | null;
  applied: IWriteRef[];
  failed: (IWriteRef & {
    error: { message: string; error_code: ErrorCode; details?: unknown };
  })[];
  not_attempted: IWriteRef[];
  verified: boolean;
  verify_attempts?: number;
  /** target/sid still not ok after verify gave up (IAM may still be propagating). */
  still_missing?: string[];
  verify_error?: { message: string; error_code: ErrorCode } | null;
  report: IReport | null;
  handoff?: IHandoff | string | null;
}

/** POST /nbjob-iam/undo */
export interface IUndoResult {
  backup_id: string;
  restored: IWriteRef[];
  report?: IReport | null;
  /** The re-check's error when it failed after the undo (replaces `report`). */
  check_error?: IErrorBody | null;
}

/** What the panel keeps across page reloads. */
export interface IPanelState {
  profile: string | null;
  role_arn: string | null;
  kms_key_arn: string | null;
  report: IReport | null;
  checked_at: string | null;
  backup_id: string | null;
}

/** This extension's settings (schema/plugin.json). */
export interface IPanelSettings {
  defaultProfile: string;
  defaultRegion: string;
  defaultRoleArn: string;
  inlinePolicyName: string;
}

/** The scheduler's own command behind "Create a notebook job" (jupyter-scheduler). */
export const SCHEDULER_CREATE_COMMAND = 'scheduling:create-from-notebook';

/** `advancedOptions` of `@amzn/sagemaker-jupyter-scheduler:advanced-options` (null when unset). */
export interface ISchedulerSettings {
  role_arn: string | null;
  s3_input: string | null;
  s3_output: string | null;
  sm_output_kms_key: string | null;
  sm_volume_kms_key: string | null;
}

/** Where an input of the check came from. */
export type InputSource =
  'typed' | 'scheduler_settings' | 'name_prefix' | 'default' | 'none';

export interface IReportInput {
  value: string | null;
  source: InputSource;
}

export interface IReportKeyInput extends IReportInput {
  resolved_arn: string | null;
  error: string | null;
}

export interface IReportInputs {
  role: IReportInput;
  s3_input: IReportInput;
  s3_output: IReportInput;
  output_kms_key: IReportKeyInput;
  volume_kms_key: IReportKeyInput;
}

export interface IReportBucket {
  bucket: string;
  prefix: string;
  used_for: ('input' | 'output')[];
}

export interface IEnvironmentBlocker {
  code: string;
  message: string;
  way_out: string;
}

export interface IEnvironment {
  scheduler: {
    installed: boolean;
    version: string | null;
    works_outside_studio: boolean | null;
    blockers: IEnvironmentBlocker[];
  };
}
