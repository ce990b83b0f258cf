import { ServerConnection } from '@jupyterlab/services';
import { IStateDB } from '@jupyterlab/statedb';
import { ReadonlyPartialJSONValue } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { NbJobIamRequestError, requestAPI } from './request';
import { findRole, sortRoles } from './roles';
import {
  IApplyResult,
  ICheckRequest,
  IContext,
  IHandoff,
  IIdentity,
  IPanelSettings,
  IPanelState,
  IPlan,
  IPlanRequest,
  IReport,
  IRole,
  IRolesResponse,
  IUndoResult,
  STATE_KEY
} from './tokens';

/** What the panel is doing right now (drives progress indicators). */
export type Activity =
  'idle' | 'loading' | 'checking' | 'planning' | 'applying' | 'undoing';

/** Where the selected execution role came from, said in words by the views. */
export type RoleSource =
  'chosen' | 'panel-settings' | 'scheduler-settings' | 'server' | null;

export const DEFAULT_SETTINGS: IPanelSettings = {
  defaultProfile: '',
  defaultRegion: '',
  defaultRoleArn: '',
  inlinePolicyName: 'SageMakerNotebookJobs'
};

/**
 * The panel's state and the calls that change it. No React here: views subscribe to `changed`,
 * the plugin turns `errorRaised` into notifications. Disposing it disconnects every listener and
 * drops the answers of calls still running.
 */
export class NbJobIamModel implements IDisposable {
  constructor(options: NbJobIamModel.IOptions = {}) {
    this._serverSettings =
      options.serverSettings ?? ServerConnection.makeSettings();
    this._state = options.state ?? null;
    this._stateKey = options.stateKey ?? STATE_KEY;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._generation += 1;
    Signal.clearData(this);
  }

  /** Whether the inputs (identity, role, keys) are shown in full; they fold after each check. */
  get inputsOpen(): boolean {
    return this._inputsOpen;
  }
  setInputsOpen(open: boolean): void {
    if (open !== this._inputsOpen) {
      this._inputsOpen = open;
      this._changed.emit();
    }
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted once per failed call, for notifications. */
  get errorRaised(): ISignal<this, NbJobIamModel.IErrorEvent> {
    return this._errorRaised;
  }

  get context(): IContext | null {
    return this._context;
  }
  get identity(): IIdentity | null {
    return this._identity;
  }
  /** The listed roles, those trusting SageMaker first. */
  get roles(): readonly IRole[] {
    return this._roles;
  }
  get rolesLoaded(): boolean {
    return this._rolesLoaded;
  }
  get settings(): IPanelSettings {
    return this._settings;
  }
  get activity(): Activity {
    return this._busy.length
      ? this._busy[this._busy.length - 1]
      : ('idle' as Activity);
  }
  get busy(): boolean {
    return this._busy.length > 0;
  }
  get error(): NbJobIamRequestError | null {
    return this._error;
  }
  /** The activity during which `error` happened. */
  get errorActivity(): Activity | null {
    return this._errorActivity;
  }
  get report(): IReport | null {
    return this._report;
  }
  /** ISO time of the check that produced `report`. */
  get checkedAt(): string | null {
    return this._checkedAt;
  }
  get lastPlan(): IPlan | null {
    return this._plan;
  }
  get lastApply(): IApplyResult | null {
    return this._apply;
  }
  get lastUndo(): IUndoResult | null {
    return this._undo;
  }
  /** The backup the last apply made, which `undo` restores. */
  get backupId(): string | null {
    return this._backupId;
  }

  /** The profile to use: chosen, else the panel setting, else the server's default. */
  get profile(): string | null {
    return (
      this._profile ??
      (this._settings.defaultProfile || null) ??
      this._context?.default_profile ??
      null
    );
  }

  /** The region to use: the panel setting, else the one the server resolved for the profile. */
  get region(): string | null {
    return this._settings.defaultRegion || this._context?.region || null;
  }

  /** The execution role (name or ARN) the check and fix use. */
  get roleArn(): string | null {
    return this._roleArn;
  }
  set roleArn(value: string | null) {
    const next = value?.trim() || null;
    if (next === this._roleArn) {
      return;
    }
    this._roleArn = next;
    this._roleSource = 'chosen';
    this._plan = null;
    this._emitAndSave();
  }
  get roleSource(): RoleSource {
    return this._roleSource;
  }
  /** The listed role `roleArn` names, if it is listed. */
  get selectedRole(): IRole | null {
    return findRole(this._roles, this._roleArn);
  }

  get kmsKeyArn(): string | null {
    return this._kmsKeyArn;
  }
  set kmsKeyArn(value: string | null) {
    const next = value?.trim() || null;
    if (next === this._kmsKeyArn) {
      return;
    }
    this._kmsKeyArn = next;
    this._plan = null;
    this._emitAndSave();
  }

  /** The administrator hand-off text of the last apply or plan, if any. */
  get handoffText(): string | null {
    return (
      NbJobIamModel.handoffText(this._apply?.handoff) ??
      NbJobIamModel.handoffText(this._plan?.handoff)
    );
  }

  /** Apply the extension's settings (defaults only: a person's own choices win). */
  setSettings(settings: Partial<IPanelSettings>): void {
    this._settings = { ...DEFAULT_SETTINGS, ...settings };
    this._preselectRole();
    this._changed.emit();
  }

  /** The scheduler's own `role_arn` setting, when its plugin is installed in this JupyterLab. */
  setSchedulerRoleArn(value: string | null): void {
    this._schedulerRoleArn = value?.trim() || null;
    this._preselectRole();
    this._changed.emit();
  }

  /** Choose another AWS profile: everything read with the old one is dropped and reloaded. */
  async selectProfile(profile: string | null): Promise<void> {
    const before = this.profile;
    this._profile = profile;
    if (this.profile === before) {
      this._emitAndSave();
      return;
    }
    this._generation += 1;
    this._identity = null;
    this._roles = [];
    this._rolesLoaded = false;
    this._serverDefaultRole = null;
    this._report = null;
    this._checkedAt = null;
    this._plan = null;
    if (this._roleSource !== 'chosen') {
      this._roleArn = null;
      this._roleSource = null;
    }
    this._emitAndSave();
    await this.refresh();
  }

  /** Restore the saved state, then load context, identity and roles. */
  async initialize(): Promise<void> {
    await this.restoreState();
    await this.refresh();
  }

  /** Load the context, then identity and roles side by side. */
  async refresh(): Promise<void> {
    await this.loadContext();
    await Promise.all([this.loadIdentity(), this.loadRoles()]);
  }

  /** Load profiles, region and scheduler defaults from the server. */
  loadContext(): Promise<IContext | null> {
    const query = NbJobIamModel.query({ profile: this.profile });
    return this._run('loading', async () => {
      const context = await this._get<IContext>('context' + query);
      this._context = context;
      return context;
    });
  }

  /** Who the chosen profile is in AWS. */
  loadIdentity(): Promise<IIdentity | null> {
    const query = NbJobIamModel.query({
      profile: this.profile,
      region: this.region
    });
    return this._run('loading', async generation => {
      const identity = await this._get<IIdentity>('identity' + query);
      if (generation === this._generation) {
        this._identity = identity;
      }
      return identity;
    });
  }

  /** The account's roles, and the server's default execution role. */
  loadRoles(): Promise<IRolesResponse | null> {
    const query = NbJobIamModel.query({
      profile: this.profile,
      region: this.region
    });
    return this._run('loading', async generation => {
      const response = await this._get<IRolesResponse>('roles' + query);
      if (generation === this._generation) {
        this._roles = sortRoles(response.roles ?? []);
        this._rolesLoaded = true;
        this._serverDefaultRole = response.default_role_arn ?? null;
        this._preselectRole();
      }
      return response;
    });
  }

  /** Check the identity, the role's trust and policy, and the KMS key. */
  check(): Promise<IReport | null> {
    const body = this.checkRequest();
    return this._run('checking', async generation => {
      const report = await this._post<IReport>('check', body);
      if (generation === this._generation) {
        this._setReport(report);
        this._plan = null;
      }
      return report;
    });
  }

  /** Preview every write a fix would make (nothing is written). */
  plan(): Promise<IPlan | null> {
    const body: IPlanRequest = {
      ...this.checkRequest(),
      policy_name: this._settings.inlinePolicyName || null
    };
    return this._run('planning', async () => {
      const plan = await this._post<IPlan>('plan', body);
      this._plan = plan;
      return plan;
    });
  }

  /** Apply the last plan; the server re-checks and returns the report after the fix. */
  apply(previewed?: IPlan): Promise<IApplyResult | null> {
    // Apply exactly the plan the person saw: the server refuses any other state by its plan_id.
    const plan = previewed ?? this._plan;
    if (!plan) {
      return Promise.resolve(null);
    }
    return this._run('applying', async () => {
      const result = await this._post<IApplyResult>('apply', {
        plan_id: plan.plan_id
      });
      this._apply = result;
      this._undo = null;
      if (result.backup_id) {
        this._backupId = result.backup_id;
      }
      if (result.report) {
        this._setReport(result.report);
      }
      if (result.status === 'applied') {
        this._plan = null;
      }
      return result;
    });
  }

  /** Restore the documents the last apply replaced. */
  undo(): Promise<IUndoResult | null> {
    const backupId = this._backupId;
    if (!backupId) {
      return Promise.resolve(null);
    }
    return this._run('undoing', async () => {
      const result = await this._post<IUndoResult>('undo', {
        backup_id: backupId
      });
      this._undo = result;
      this._apply = null;
      this._plan = null;
      this._backupId = null;
      if (result.report) {
        this._setReport(result.report);
      }
      return result;
    });
  }

  /** Forget the last error (the person dismissed it). */
  dismissError(): void {
    this._error = null;
    this._errorActivity = null;
    this._changed.emit();
  }

  /** The body of check and plan. */
  checkRequest(): ICheckRequest {
    return {
      profile: this.profile,
      region: this.region,
      role_arn: this._roleArn,
      kms_key_arn: this._kmsKeyArn
    };
  }

  /** Read the state saved before the page was reloaded. */
  async restoreState(): Promise<void> {
    if (!this._state) {
      return;
    }
    let saved: Partial<IPanelState> | undefined;
    try {
      saved = (await this._state.fetch(this._stateKey)) as
        Partial<IPanelState> | undefined;
    } catch {
      return;
    }
    if (!saved || typeof saved !== 'object') {
      return;
    }
    this._profile = saved.profile ?? null;
    if (saved.role_arn) {
      this._roleArn = saved.role_arn;
      this._roleSource = 'chosen';
    }
    this._kmsKeyArn = saved.kms_key_arn ?? null;
    this._report = saved.report ?? null;
    this._inputsOpen = !this._report;
    this._checkedAt = saved.checked_at ?? null;
    this._backupId = saved.backup_id ?? null;
    this._changed.emit();
  }

  /** Save what survives a page reload. */
  async saveState(): Promise<void> {
    if (!this._state) {
      return;
    }
    const state: IPanelState = {
      profile: this._profile,
      role_arn: this._roleSource === 'chosen' ? this._roleArn : null,
      kms_key_arn: this._kmsKeyArn,
      report: this._report,
      checked_at: this._checkedAt,
      backup_id: this._backupId
    };
    try {
      await this._state.save(
        this._stateKey,
        state as unknown as ReadonlyPartialJSONValue
      );
    } catch (error) {
      console.warn('nbjob-iam: could not save the panel state', error);
    }
  }

  private _setReport(report: IReport): void {
    this._report = report;
    this._inputsOpen = false;
    this._checkedAt = new Date().toISOString();
  }

  /** Preselect a role unless the person chose one: panel setting, scheduler setting, server. */
  private _preselectRole(): void {
    if (this._roleSource === 'chosen') {
      return;
    }
    const candidates: [string | null, RoleSource][] = [
      [this._settings.defaultRoleArn || null, 'panel-settings'],
      [this._schedulerRoleArn, 'scheduler-settings'],
      [this._serverDefaultRole, 'server']
    ];
    for (const [value, source] of candidates) {
      if (value) {
        this._roleArn = findRole(this._roles, value)?.arn ?? value;
        this._roleSource = source;
        return;
      }
    }
  }

  private _emitAndSave(): void {
    if (this._isDisposed) {
      return;
    }
    this._changed.emit();
    void this.saveState();
  }

  /** Run one call: progress while it runs, the error in words when it fails. */
  private async _run<T>(
    activity: Activity,
    fn: (generation: number) => Promise<T>
  ): Promise<T | null> {
    if (this._isDisposed) {
      return null;
    }
    const generation = this._generation;
    this._busy.push(activity);
    this._error = null;
    this._errorActivity = null;
    this._changed.emit();
    try {
      const result = await fn(generation);
      return this._isDisposed ? null : result;
    } catch (error) {
      if (this._isDisposed) {
        return null;
      }
      const requestError = NbJobIamModel.asRequestError(error);
      this._error = requestError;
      this._errorActivity = activity;
      this._errorRaised.emit({ error: requestError, activity });
      return null;
    } finally {
      this._busy.splice(this._busy.lastIndexOf(activity), 1);
      this._emitAndSave();
    }
  }

  private _get<T>(endPoint: string): Promise<T> {
    return requestAPI<T>(endPoint, { method: 'GET' }, this._serverSettings);
  }

  private _post<T>(endPoint: string, body: object): Promise<T> {
    return requestAPI<T>(
      endPoint,
      { method: 'POST', body: JSON.stringify(body) },
      this._serverSettings
    );
  }

  private _isDisposed = false;
  private _inputsOpen = true;
  private _serverSettings: ServerConnection.ISettings;
  private _state: NbJobIamModel.IStateStore | null;
  private _stateKey: string;
  private _changed = new Signal<this, void>(this);
  private _errorRaised = new Signal<this, NbJobIamModel.IErrorEvent>(this);
  private _generation = 0;
  private _busy: Activity[] = [];
  private _settings: IPanelSettings = { ...DEFAULT_SETTINGS };
  private _context: IContext | null = null;
  private _identity: IIdentity | null = null;
  private _roles: IRole[] = [];
  private _rolesLoaded = false;
  private _serverDefaultRole: string | null = null;
  private _schedulerRoleArn: string | null = null;
  private _profile: string | null = null;
  private _roleArn: string | null = null;
  private _roleSource: RoleSource = null;
  private _kmsKeyArn: string | null = null;
  private _report: IReport | null = null;
  private _checkedAt: string | null = null;
  private _plan: IPlan | null = null;
  private _apply: IApplyResult | null = null;
  private _undo: IUndoResult | null = null;
  private _backupId: string | null = null;
  private _error: NbJobIamRequestError | null = null;
  private _errorActivity: Activity | null = null;
}

export namespace NbJobIamModel {
  /** The part of IStateDB the model uses (tests pass a fake). */
  export type IStateStore = Pick<IStateDB, 'fetch' | 'save'>;

  export interface IOptions {
    serverSettings?: ServerConnection.ISettings;
    state?: IStateStore | null;
    stateKey?: string;
  }

  export interface IErrorEvent {
    error: NbJobIamRequestError;
    activity: Activity;
  }

  /** A query string of the non-empty values, e.g. `?profile=dev&region=eu-west-1`. */
  export function query(values: { [key: string]: string | null }): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(values)) {
      if (value) {
        params.set(key, value);
      }
    }
    const text = params.toString();
    return text ? '?' + text : '';
  }

  /** The hand-off text, whether the server sent the bundle or only its text. */
  export function handoffText(
    handoff: IHandoff | string | null | undefined
  ): string | null {
    if (!handoff) {
      return null;
    }
    return typeof handoff === 'string' ? handoff : handoff.text || null;
  }

  /** Any thrown value as the typed request error the views know how to show. */
  export function asRequestError(error: unknown): NbJobIamRequestError {
    if (error instanceof NbJobIamRequestError) {
      return error;
    }
    return new NbJobIamRequestError(
      0,
      {
        message: String((error as Error)?.message ?? error),
        reason: 'Error',
        error_code: 'client_error',
        details: {}
      },
      'api'
    );
  }
}
