import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { showHandoffDialog, showPlanDialog } from './dialogs';
import { ENGLISH } from './i18n';
import { NbJobIamModel } from './model';
import { IApplyResult } from './tokens';

/** Put text on the clipboard; false when the browser refuses (no focus, no permission, http). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard?.writeText) {
      return false;
    }
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Copy the hand-off bundle (making a plan first if needed); show it when copying fails. */
export async function copyForAdministrator(
  model: NbJobIamModel,
  trans: TranslationBundle = ENGLISH
): Promise<void> {
  let text = model.handoffText;
  if (!text) {
    const plan = await model.plan();
    if (!plan) {
      return;
    }
    text = model.handoffText;
  }
  if (!text) {
    Notification.info(
      trans.__('There is nothing to ask an administrator for.'),
      { autoClose: 5000 }
    );
    return;
  }
  if (await copyText(text)) {
    Notification.success(
      trans.__('Copied the request for your administrator to the clipboard.'),
      { autoClose: 5000 }
    );
  } else {
    await showHandoffDialog(text, trans);
  }
}

/** Preview the fix, and apply it when the person presses Apply. */
export async function fixPermissions(
  model: NbJobIamModel,
  trans: TranslationBundle = ENGLISH
): Promise<IApplyResult | null> {
  const plan = await model.plan();
  if (!plan) {
    return null;
  }
  if (plan.nothing_to_do && plan.blocked.length === 0) {
    Notification.info(
      trans.__('Nothing to fix: every required permission is there.'),
      { autoClose: 5000 }
    );
    return null;
  }
  const decision = await showPlanDialog(plan, trans);
  if (decision === 'copy') {
    await copyForAdministrator(model, trans);
    return null;
  }
  if (decision !== 'apply') {
    return null;
  }
  const result = await model.apply(plan);
  if (!result) {
    return null;
  }
  const n = result.applied.length;
  const recheck = result.report?.ok
    ? trans.__('Every check passes now.')
    : trans.__('Some checks still need attention.');
  if (result.status === 'applied') {
    Notification.success(
      trans._n(
        'Permissions fixed: %1 change applied. %2',
        'Permissions fixed: %1 changes applied. %2',
        n,
        recheck
      ),
      { autoClose: 6000 }
    );
  } else {
    const all = n + result.failed.length + result.not_attempted.length;
    Notification.warning(
      trans.__(
        'AWS refused part of the fix (%1 of %2 changes applied). Copy the request for an administrator.',
        n,
        all
      ),
      {
        autoClose: false,
        actions: [
          {
            label: trans.__('Copy for administrator'),
            callback: () => void copyForAdministrator(model, trans)
          }
        ]
      }
    );
  }
  return result;
}

/** Restore what the last fix replaced. */
export async function undoFix(
  model: NbJobIamModel,
  trans: TranslationBundle = ENGLISH
): Promise<void> {
  const result = await model.undo();
  if (result) {
    Notification.info(
      trans._n(
        'Undone: %1 document restored.',
        'Undone: %1 documents restored.',
        result.restored.length
      ),
      { autoClose: 5000 }
    );
  }
}
