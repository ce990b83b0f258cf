import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';

import { copyForAdministrator } from './actions';
import { describeError } from './errors';
import { ENGLISH } from './i18n';
import { NbJobIamModel } from './model';

/** Same error again within this time (e.g. identity and roles both refused): one notification. */
const REPEAT_MS = 3000;

/** Turn every failed call of the model into a JupyterLab notification in plain words. */
export function notifyErrors(
  model: NbJobIamModel,
  trans: TranslationBundle = ENGLISH
): IDisposable {
  let last = { key: '', at: 0 };
  const onError = (_: NbJobIamModel, event: NbJobIamModel.IErrorEvent) => {
    const advice = describeError(event.error, model.profile, trans);
    const key = `${event.error.errorCode}|${event.error.message}`;
    const now = Date.now();
    if (key === last.key && now - last.at < REPEAT_MS) {
      return;
    }
    last = { key, at: now };
    const parts = [advice.title + '.', advice.message];
    if (advice.deniedAction) {
      parts.push(trans.__('Denied action: %1.', advice.deniedAction));
    }
    if (advice.command) {
      parts.push(trans.__('Run: %1', advice.command));
    }
    Notification.error(parts.join(' '), {
      autoClose: 10000,
      actions: advice.needsAdministrator
        ? [
            {
              label: trans.__('Copy for administrator'),
              callback: () => void copyForAdministrator(model, trans)
            }
          ]
        : []
    });
  };
  model.errorRaised.connect(onError);
  return new DisposableDelegate(() => {
    model.errorRaised.disconnect(onError);
  });
}
