import { Notification } from '@jupyterlab/apputils';

import { showHandoffDialog, showPlanDialog } from './dialogs';
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
  model: NbJobIamModel
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
    Notification.info('There is nothing to ask an administrator for.', {
      autoClose: 5000
    });
    return;
  }
  if (await copyText(text)) {
    Notification.success(
      'Copied the request for your administrator to the clipboard.',
      { autoClose: 5000 }
    );
  } else {
    await showHandoffDialog(text);
  }
}

/** Preview the fix, and apply it when the person presses Apply. */
export async function fixPermissions(
  model: NbJobIamModel
): Promise<IApplyResult | null> {
  const plan = await model.plan();
  if (!plan) {
    return null;
  }
  if (plan.nothing_to_do && plan.blocked.length === 0) {
    Notification.info('Nothing to fix: every required permission is there.', {
      autoClose: 5000
    });
    return null;
  }
  const decision = await showPlanDialog(plan);
  if (decision === 'copy') {
    await copyForAdministrator(model);
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
    ? 'Every check passes now.'
    : 'Some checks still need attention.';
  if (result.status === 'applied') {
    Notification.success(
      `Permissions fixed: ${n} change${n === 1 ? '' : 's'} applied. ${recheck}`,
      { autoClose: 6000 }
    );
  } else {
    Notification.warning(
      `AWS refused part of the fix (${n} of ${n + result.failed.length + result.not_attempted.length} changes applied). Copy the request for an administrator.`,
      {
        autoClose: false,
        actions: [
          {
            label: 'Copy for administrator',
            callback: () => void copyForAdministrator(model)
          }
        ]
      }
    );
  }
  return result;
}

/** Restore what the last fix replaced. */
export async function undoFix(model: NbJobIamModel): Promise<void> {
  const result = await model.undo();
  if (result) {
    Notification.info(
      `Undone: ${result.restored.length} document(s) restored.`,
      { autoClose: 5000 }
    );
  }
}
