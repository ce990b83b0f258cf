import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { NbJobIamModel } from '../model';

/** The error banner: plain words, and what to do. */
export function ErrorBanner(props: {
  model: NbJobIamModel;
}): JSX.Element | null {
  const error = props.model.error;
  if (!error) {
    return null;
  }
  return (
    <div className="jp-NbJobIam-error" role="alert">
      <strong>
        {error.kind === 'extension-missing'
          ? 'Server extension missing'
          : error.kind === 'session'
            ? 'Jupyter session expired'
            : 'Problem'}
      </strong>
      <p>{error.message}</p>
    </div>
  );
}

/** Profiles and region as the scheduler would resolve them. */
export function ContextCard(props: { model: NbJobIamModel }): JSX.Element {
  const { model } = props;
  const context = model.context;
  if (!context) {
    return (
      <section className="jp-NbJobIam-card" aria-label="AWS context">
        <p>
          {model.activity === 'loading-context'
            ? 'Loading AWS profiles…'
            : 'No AWS context loaded.'}
        </p>
      </section>
    );
  }
  return (
    <section className="jp-NbJobIam-card" aria-label="AWS context">
      <label className="jp-NbJobIam-field">
        <span>AWS profile</span>
        <select
          aria-label="AWS profile"
          value={model.profile ?? ''}
          onChange={event => {
            model.profile = event.target.value || null;
          }}
        >
          <option value="">(environment credentials)</option>
          {context.profiles.map(name => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <dl className="jp-NbJobIam-facts">
        <dt>Region</dt>
        <dd data-testid="nbjob-iam-region">
          {context.region}{' '}
          <span className="jp-NbJobIam-muted">({context.region_source})</span>
        </dd>
        <dt>Profiles found</dt>
        <dd data-testid="nbjob-iam-profiles">
          {context.profiles.length ? context.profiles.join(', ') : 'none'}
        </dd>
      </dl>
    </section>
  );
}

/** The sidebar panel. */
export class NbJobIamPanel extends ReactWidget {
  constructor(model: NbJobIamModel) {
    super();
    this.model = model;
    this.addClass('jp-NbJobIam-panel');
  }

  readonly model: NbJobIamModel;

  render(): JSX.Element {
    return (
      <UseSignal signal={this.model.changed}>
        {() => (
          <div className="jp-NbJobIam-content">
            <header className="jp-NbJobIam-header">
              <h2>Notebook job permissions</h2>
            </header>
            <ErrorBanner model={this.model} />
            <ContextCard model={this.model} />
          </div>
        )}
      </UseSignal>
    );
  }
}
