import { Dialog } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { PlanPreview } from './components/PlanPreview';
import { IPlan } from './tokens';

export const PLAN_DIALOG_TITLE = 'Fix permissions: preview';
export const HANDOFF_DIALOG_TITLE = 'Message for your administrator';

export type PlanDecision = 'apply' | 'copy' | 'cancel';

async function launch(
  title: string,
  body: JSX.Element,
  buttons: Dialog.IButton[],
  className: string
): Promise<Dialog.IResult<unknown>> {
  const dialog = new Dialog({
    title,
    body: ReactWidget.create(body),
    buttons
  });
  dialog.addClass(className);
  // A <dialog> is named by its title, so assistive tech and UI tests can find it.
  dialog.node.setAttribute('aria-label', title);
  try {
    return await dialog.launch();
  } finally {
    dialog.dispose();
  }
}

/** Show every write of the plan; resolve to what the person chose. */
export async function showPlanDialog(plan: IPlan): Promise<PlanDecision> {
  const copy = Dialog.createButton({
    label: 'Copy for administrator',
    displayType: plan.blocked.length > 0 ? 'warn' : 'default',
    accept: false,
    actions: ['copy']
  });
  const buttons: Dialog.IButton[] =
    plan.writes.length > 0
      ? [
          copy,
          Dialog.cancelButton({ label: 'Cancel' }),
          Dialog.okButton({ label: 'Apply' })
        ]
      : [copy, Dialog.cancelButton({ label: 'Close' })];
  const result = await launch(
    PLAN_DIALOG_TITLE,
    <PlanPreview plan={plan} />,
    buttons,
    'jp-NbJobIam-dialog'
  );
  if (result.button.actions.includes('copy')) {
    return 'copy';
  }
  return result.button.accept && plan.writes.length > 0 ? 'apply' : 'cancel';
}

/** The fallback when the clipboard is not available: the text, ready to select and copy. */
export async function showHandoffDialog(text: string): Promise<void> {
  await launch(
    HANDOFF_DIALOG_TITLE,
    <div className="jp-NbJobIam-handoff">
      <p>
        Copy this and send it to an AWS administrator of your account. It lists
        the exact permissions notebook jobs need and the commands that grant
        them.
      </p>
      <textarea
        className="jp-NbJobIam-handoffText"
        aria-label="Message for your administrator"
        readOnly
        rows={14}
        value={text}
        onFocus={event => event.currentTarget.select()}
      />
    </div>,
    [Dialog.okButton({ label: 'Close' })],
    'jp-NbJobIam-dialog'
  );
}
