import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ActionBar, IActionCallbacks } from '../components/ActionBar';
import { ErrorBanner } from '../components/ErrorBanner';
import { FixOutcome } from '../components/FixOutcome';
import { IdentityCard } from '../components/IdentityCard';
import { InputSources } from '../components/InputSources';
import { KmsField } from '../components/KmsField';
import { ReportView } from '../components/ReportView';
import { RolePicker } from '../components/RolePicker';
import { NbJobIamModel } from '../model';

/** The whole panel, top to bottom in the order a person works through it. */
export function PanelContent(
  props: { model: NbJobIamModel } & IActionCallbacks
): JSX.Element {
  const { model } = props;
  return (
    <div className="jp-NbJobIam-content">
      <header className="jp-NbJobIam-header">
        <h2>Notebook job permissions</h2>
        <p className="jp-NbJobIam-muted">
          Before you schedule a notebook job: check that you and its execution
          role have every permission it needs, and fix what is missing.
        </p>
      </header>
      <ErrorBanner
        model={model}
        onCopyForAdministrator={props.onCopyForAdministrator}
      />
      <IdentityCard model={model} />
      <RolePicker model={model} />
      <KmsField model={model} />
      <ActionBar {...props} />
      <FixOutcome model={model} onUndo={props.onUndo} />
      {model.report && <InputSources report={model.report} />}
      {model.report && (
        <ReportView
          report={model.report}
          checkedAt={model.checkedAt}
          busy={model.busy}
        />
      )}
    </div>
  );
}

/** The sidebar panel: re-renders whenever the model changes. */
export class NbJobIamPanel extends ReactWidget {
  constructor(model: NbJobIamModel, actions: IActionCallbacks) {
    super();
    this.model = model;
    this._actions = actions;
    this.addClass('jp-NbJobIam-panel');
  }

  readonly model: NbJobIamModel;

  render(): JSX.Element {
    return (
      <UseSignal signal={this.model.changed}>
        {() => <PanelContent model={this.model} {...this._actions} />}
      </UseSignal>
    );
  }

  private _actions: IActionCallbacks;
}
