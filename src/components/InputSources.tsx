import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ENGLISH, useTrans } from '../i18n';
import {
  IEnvironment,
  InputSource,
  IReport,
  IReportInput,
  IReportKeyInput
} from '../tokens';

/** Where an input came from, in words. */
export function sourceText(
  source: InputSource,
  trans: TranslationBundle = ENGLISH
): string {
  switch (source) {
    case 'typed':
      return trans.__('typed here');
    case 'scheduler_settings':
      return trans.__("the scheduler's saved settings");
    case 'name_prefix':
      return trans.__('first role named SagemakerJupyterScheduler*');
    case 'default':
      return trans.__("the scheduler's default");
    default:
      return trans.__('not set');
  }
}

function Row(props: {
  label: string;
  input: IReportInput | IReportKeyInput | undefined;
}): JSX.Element | null {
  const trans = useTrans();
  const { input } = props;
  if (!input || (input.source === 'none' && !input.value)) {
    return null;
  }
  const key = input as IReportKeyInput;
  return (
    <li>
      <span className="jp-NbJobIam-label">{props.label}: </span>
      <span className="jp-NbJobIam-mono">{input.value ?? '—'}</span>
      <span className="jp-NbJobIam-muted">
        {' '}
        ({sourceText(input.source, trans)})
      </span>
      {key.resolved_arn && key.resolved_arn !== input.value && (
        <span className="jp-NbJobIam-muted jp-NbJobIam-mono">
          {' '}
          → {key.resolved_arn}
        </span>
      )}
      {key.error && <div className="jp-NbJobIam-warning">{key.error}</div>}
    </li>
  );
}

/** Blockers of the installed scheduler that no permission fixes, with the way out. */
export function EnvironmentNotes(props: {
  environment?: IEnvironment;
}): JSX.Element | null {
  const trans = useTrans();
  const scheduler = props.environment?.scheduler;
  if (!scheduler || !scheduler.blockers.length) {
    return null;
  }
  return (
    <div role="note" aria-label={trans.__('Scheduler blockers')}>
      {scheduler.blockers.map(b => (
        <p key={b.code} className="jp-NbJobIam-warning">
          {b.message} <strong>{trans.__('Way out:')}</strong> {b.way_out}
        </p>
      ))}
    </div>
  );
}

/** What the check used: the role, the S3 folders, the KMS keys, each with where it came from. */
export function InputSources(props: { report: IReport }): JSX.Element | null {
  const trans = useTrans();
  const { inputs, buckets, environment } = props.report;
  if (!inputs) {
    return null;
  }
  return (
    <section className="jp-NbJobIam-card" aria-label={trans.__('Checked with')}>
      <h3>{trans.__('Checked with')}</h3>
      <ul className="jp-NbJobIam-list">
        <Row label={trans.__('Execution role')} input={inputs.role} />
        <Row label={trans.__('S3 input')} input={inputs.s3_input} />
        <Row label={trans.__('S3 output')} input={inputs.s3_output} />
        <Row label={trans.__('Output KMS key')} input={inputs.output_kms_key} />
        <Row label={trans.__('Volume KMS key')} input={inputs.volume_kms_key} />
      </ul>
      {buckets && buckets.length > 0 && (
        <p className="jp-NbJobIam-muted">
          {trans.__(
            'Buckets checked: %1',
            buckets
              .map(
                b =>
                  `${b.bucket}${b.prefix ? '/' + b.prefix : ''} (${b.used_for.join(', ')})`
              )
              .join('; ')
          )}
        </p>
      )}
      <EnvironmentNotes environment={environment} />
    </section>
  );
}
