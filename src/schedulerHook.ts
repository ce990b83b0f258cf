import { Notification } from '@jupyterlab/apputils';
import { ServerConnection } from '@jupyterlab/services';
import { CommandRegistry } from '@lumino/commands';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';
import { TranslationBundle } from '@jupyterlab/translation';

import { describeError } from './errors';
import { ENGLISH } from './i18n';

import { NbJobIamModel } from './model';
import { NbJobIamRequestError, requestAPI } from './request';
import { summarize } from './summary';
import {
  CommandIDs,
  ICheckRequest,
  IReport,
  SCHEDULER_CREATE_COMMAND
} from './tokens';

/** The notification's two buttons. */
export function actionLabels(trans: TranslationBundle = ENGLISH): {
  fix: string;
  details: string;
} {
  return {
    fix: trans.__('Fix permissions'),
    details: trans.__('Show details')
  };
}

/**
 * What a person must hear before scheduling: blocking statements (their missing actions, or a count
 * when more than two) and the scheduler's blockers.
 */
export function reportGaps(
  report: IReport,
  trans: TranslationBundle = ENGLISH
): string[] {
  const gaps = summarize(report).blocking.map(s => {
    const actions = s.missing_actions ?? [];
    if (actions.length > 2) {
      return trans._n(
        '%2 (%1 action)',
        '%2 (%1 actions)',
        actions.length,
        s.sid
      );
    }
    const missing = actions.length ? actions : (s.missing_services ?? []);
    return missing.length ? `${s.sid} (${missing.join(', ')})` : s.sid;
  });
  for (const blocker of report.environment?.scheduler.blockers ?? []) {
    gaps.push(`${blocker.message} ${blocker.way_out}`);
  }
  return gaps;
}

/** The notification text naming the gaps (at most four, then a count). */
export function gapsMessage(
  gaps: string[],
  trans: TranslationBundle = ENGLISH
): string {
  const shown = gaps.slice(0, 4).join('; ');
  if (gaps.length <= 4) {
    return trans.__('This notebook job may fail: %1.', shown);
  }
  return trans._n(
    'This notebook job may fail: %2; and %1 more.',
    'This notebook job may fail: %2; and %1 more.',
    gaps.length - 4,
    shown
  );
}

/** The part of JupyterLab's Notification the hook uses (tests pass a fake). */
export interface INotifier {
  warning(
    message: string,
    options: {
      autoClose: false | number;
      actions: { label: string; callback: () => void }[];
    }
  ): unknown;
}

export interface ISchedulerHookOptions {
  commands: CommandRegistry;
  model: NbJobIamModel;
  /** Resolves once the panel knows the profile and region. */
  ready: Promise<unknown>;
  serverSettings?: ServerConnection.ISettings;
  notifier?: INotifier;
  /** The panel's translation bundle (English when absent). */
  trans?: TranslationBundle;
}

/**
 * When the scheduler's "Create a notebook job" command runs, check in the background with the role,
 * S3 folders and KMS keys the scheduler will use (the request names only profile and region, so the
 * server takes them from the scheduler's saved settings, then its defaults). If anything is not
 * OK, a notification names the gaps, with "Fix permissions" and "Show details" (the panel).
 * Resolves nothing and shows nothing when all is well; the scheduler's own flow is never blocked.
 */
export function connectSchedulerHook(
  options: ISchedulerHookOptions
): IDisposable {
  const { commands, model, ready } = options;
  const notifier: INotifier = options.notifier ?? Notification;
  const trans = options.trans ?? ENGLISH;
  const labels = actionLabels(trans);
  const serverSettings =
    options.serverSettings ?? ServerConnection.makeSettings();
  let running: Promise<void> | null = null;

  const checkNow = async (): Promise<void> => {
    await ready;
    const body: ICheckRequest = {
      profile: model.profile,
      region: model.region
    };
    let report: IReport;
    try {
      report = await requestAPI<IReport>(
        'check',
        { method: 'POST', body: JSON.stringify(body) },
        serverSettings
      );
    } catch (error) {
      const message =
        error instanceof NbJobIamRequestError
          ? describeError(error, model.profile, trans).message
          : String((error as Error)?.message ?? error);
      notifier.warning(
        trans.__(
          "Could not check this notebook job's permissions: %1",
          message
        ),
        {
          autoClose: 10000,
          actions: [
            {
              label: labels.details,
              callback: () => void commands.execute(CommandIDs.open)
            }
          ]
        }
      );
      return;
    }
    const gaps = reportGaps(report, trans);
    if (!gaps.length) {
      return;
    }
    notifier.warning(gapsMessage(gaps, trans), {
      autoClose: false,
      actions: [
        {
          label: labels.fix,
          callback: () => {
            model.adoptReport(report);
            void commands.execute(CommandIDs.fix);
          }
        },
        {
          label: labels.details,
          callback: () => {
            model.adoptReport(report);
            void commands.execute(CommandIDs.open);
          }
        }
      ]
    });
  };

  const onExecuted = (
    _: CommandRegistry,
    args: CommandRegistry.ICommandExecutedArgs
  ) => {
    if (args.id !== SCHEDULER_CREATE_COMMAND || running) {
      return;
    }
    running = checkNow().finally(() => {
      running = null;
    });
  };
  commands.commandExecuted.connect(onExecuted);
  return new DisposableDelegate(() => {
    commands.commandExecuted.disconnect(onExecuted);
  });
}
