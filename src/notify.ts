import { Notification } from '@jupyterlab/apputils';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';

import { copyForAdministrator } from './actions';
import { describeError } from './errors';
import { NbJobIamModel } from './model';

/** Same error again within this time (e.g. identity and roles both refused): one notification. */
const REPEAT_MS = 3000;

/** Turn every failed call of the model into a JupyterLab notification in plain words. */
export function notifyErrors(model: NbJobIamModel): IDisposable {
  let last = { key: '', at: 0 };
  const onError = (_: NbJobIamModel, event: NbJobIamModel.IErrorEvent) => {
    const advice = describeError(event.error, model.profile);
    const key = `${event.error.errorCode}|${event.error.message}`;
    const now = Date.now();
    if (key === last.key && now - last.at < REPEAT_MS) {
      return;
    }
    last = { key, at: now };
    const parts = [advice.title + '.', advice.message];
    if (advice.deniedAction) {
      parts.push(`Denied action: ${advice.deniedAction}.`);
    }
    if (advice.command) {
      parts.push(`Run: ${advice.command}`);
    }
    Notification.error(parts.join(' '), {
      autoClose: 10000,
      actions: advice.needsAdministrator
        ? [
            {
              label: 'Copy for administrator',
              callback: () => void copyForAdministrator(model)
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
