import { Dialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { PlanPreview } from './components/PlanPreview';
import { ENGLISH, TransContext } from './i18n';
import { IPlan } from './tokens';

export type PlanDecision = 'apply' | 'copy' | 'cancel';

async function launch(
  title: string,
  body: JSX.Element,
  buttons: Dialog.IButton[],
  trans: TranslationBundle
): Promise<Dialog.IResult<unknown>> {
  const dialog = new Dialog({
    title,
    body: ReactWidget.create(
      <TransContext.Provider value={trans}>{body}</TransContext.Provider>
    ),
    buttons
  });
  dialog.addClass('jp-NbJobIam-dialog');
  // A <dialog> is named by its title, so assistive tech and UI tests can find it.
  dialog.node.setAttribute('aria-label', title);
  try {
    return await dialog.launch();
  } finally {
    dialog.dispose();
  }
}

/** Show every write of the plan; resolve to what the person chose. */
export async function showPlanDialog(
  plan: IPlan,
  trans: TranslationBundle = ENGLISH
): Promise<PlanDecision> {
  const copy = Dialog.createButton({
    label: trans.__('Copy for administrator'),
    displayType: plan.blocked.length > 0 ? 'warn' : 'default',
    accept: false,
    actions: ['copy']
  });
  const buttons: Dialog.IButton[] =
    plan.writes.length > 0
      ? [
          copy,
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.okButton({ label: trans.__('Apply') })
        ]
      : [copy, Dialog.cancelButton({ label: trans.__('Close') })];
  const result = await launch(
    trans.__('Fix permissions: preview'),
    <PlanPreview plan={plan} />,
    buttons,
    trans
  );
  if (result.button.actions.includes('copy')) {
    return 'copy';
  }
  return result.button.accept && plan.writes.length > 0 ? 'apply' : 'cancel';
}

/** The fallback when the clipboard is not available: the text, ready to select and copy. */
export async function showHandoffDialog(
  text: string,
  trans: TranslationBundle = ENGLISH
): Promise<void> {
  const title = trans.__('Message for your administrator');
  await launch(
    title,
    <div className="jp-NbJobIam-handoff">
      <p>
        {trans.__(
          'Copy this and send it to an AWS administrator of your account. It lists the exact permissions notebook jobs need and the commands that grant them.'
        )}
      </p>
      <textarea
        className="jp-NbJobIam-handoffText jp-mod-styled"
        aria-label={title}
        readOnly
        rows={14}
        value={text}
        onFocus={event => event.currentTarget.select()}
      />
    </div>,
    [Dialog.okButton({ label: trans.__('Close') })],
    trans
  );
}
