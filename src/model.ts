import { ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { NbJobIamRequestError, requestAPI } from './request';
import { IContext } from './tokens';

/** What the panel is doing right now (drives progress indicators). */
export type Activity = 'idle' | 'loading-context';

/**
 * The panel's state and the calls that change it. No React here: views subscribe to `changed`.
 */
export class NbJobIamModel {
  constructor(options: NbJobIamModel.IOptions = {}) {
    this._serverSettings =
      options.serverSettings ?? ServerConnection.makeSettings();
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get context(): IContext | null {
    return this._context;
  }

  get profile(): string | null {
    return this._profile;
  }

  set profile(value: string | null) {
    if (value === this._profile) {
      return;
    }
    this._profile = value;
    this._changed.emit();
  }

  get activity(): Activity {
    return this._activity;
  }

  get error(): NbJobIamRequestError | null {
    return this._error;
  }

  /** Load profiles, region and scheduler defaults from the server. */
  async loadContext(): Promise<IContext | null> {
    this._setActivity('loading-context');
    try {
      const context = await requestAPI<IContext>(
        'context',
        { method: 'GET' },
        this._serverSettings
      );
      this._context = context;
      if (this._profile === null) {
        this._profile = context.default_profile;
      }
      this._error = null;
      return context;
    } catch (error) {
      this._error = NbJobIamModel.asRequestError(error);
      return null;
    } finally {
      this._setActivity('idle');
    }
  }

  private _setActivity(activity: Activity): void {
    this._activity = activity;
    this._changed.emit();
  }

  private _serverSettings: ServerConnection.ISettings;
  private _changed = new Signal<this, void>(this);
  private _context: IContext | null = null;
  private _profile: string | null = null;
  private _activity: Activity = 'idle';
  private _error: NbJobIamRequestError | null = null;
}

export namespace NbJobIamModel {
  export interface IOptions {
    serverSettings?: ServerConnection.ISettings;
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
