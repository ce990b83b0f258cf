import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ActionBar, IActionCallbacks } from '../components/ActionBar';
import { ErrorBanner } from '../components/ErrorBanner';
import { FixOutcome } from '../components/FixOutcome';
import { IdentityCard } from '../components/IdentityCard';
import { INPUTS_ID, InputsHeader } from '../components/InputsHeader';
import { KmsField } from '../components/KmsField';
import { ReportView } from '../components/ReportView';
import { RolePicker } from '../components/RolePicker';
import { Verdict } from '../components/Verdict';
import { ENGLISH, TransContext, useTrans } from '../i18n';
import { NbJobIamModel } from '../model';

/**
 * The whole panel. Before a check: the inputs, then the buttons. After a check the answer comes
 * first (verdict, next step, buttons), the inputs fold into one line that reopens on click, and the
 * statements follow with the first failing one expanded.
 */
export function PanelContent(
  props: { model: NbJobIamModel } & IActionCallbacks
): JSX.Element {
  const trans = useTrans();
  const { model } = props;
  const report = model.report;
  const inputs = (
    <div id={INPUTS_ID} className="jp-NbJobIam-inputs">
      <IdentityCard model={model} />
      <RolePicker model={model} />
      <KmsField model={model} />
    </div>
  );
  return (
    <div className="jp-NbJobIam-content">
      <header className="jp-NbJobIam-header">
        <h2>{trans.__('Notebook job permissions')}</h2>
        {!report && (
          <p className="jp-NbJobIam-muted">
            {trans.__(
              'Before you schedule a notebook job: check that you and its execution role have every permission it needs, and fix what is missing.'
            )}
          </p>
        )}
      </header>
      {report && <Verdict report={report} checkedAt={model.checkedAt} />}
      {report && <ActionBar {...props} />}
      <ErrorBanner
        model={model}
        onCopyForAdministrator={props.onCopyForAdministrator}
      />
      {report && <FixOutcome model={model} onUndo={props.onUndo} />}
      {report && <InputsHeader model={model} />}
      {(!report || model.inputsOpen) && inputs}
      {!report && <ActionBar {...props} />}
      {!report && <FixOutcome model={model} onUndo={props.onUndo} />}
      {report && (
        <ReportView
          report={report}
          checkedAt={model.checkedAt}
          busy={model.busy}
        />
      )}
    </div>
  );
}

/** The sidebar panel: re-renders whenever the model changes; disposing it disposes the model. */
export class NbJobIamPanel extends ReactWidget {
  constructor(
    model: NbJobIamModel,
    actions: IActionCallbacks,
    trans: TranslationBundle = ENGLISH
  ) {
    super();
    this.model = model;
    this._actions = actions;
    this._trans = trans;
    this.addClass('jp-NbJobIam-panel');
  }

  readonly model: NbJobIamModel;

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.model.dispose();
    super.dispose();
  }

  render(): JSX.Element {
    return (
      <TransContext.Provider value={this._trans}>
        <UseSignal signal={this.model.changed}>
          {() => <PanelContent model={this.model} {...this._actions} />}
        </UseSignal>
      </TransContext.Provider>
    );
  }

  private _actions: IActionCallbacks;
  private _trans: TranslationBundle;
}
