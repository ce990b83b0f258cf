import * as React from 'react';

import {
  IEnvironment,
  InputSource,
  IReport,
  IReportInput,
  IReportKeyInput
} from '../tokens';

/** Where an input came from, in words. */
export function sourceText(source: InputSource): string {
  switch (source) {
    case 'typed':
      return 'typed here';
    case 'scheduler_settings':
      return "the scheduler's saved settings";
    case 'name_prefix':
      return 'first role named SagemakerJupyterScheduler*';
    case 'default':
      return "the scheduler's default";
    default:
      return 'not set';
  }
}

function Row(props: {
  label: string;
  input: IReportInput | IReportKeyInput | undefined;
}): JSX.Element | null {
  const { input } = props;
  if (!input || (input.source === 'none' && !input.value)) {
    return null;
  }
  const key = input as IReportKeyInput;
  return (
    <li>
      <span className="jp-NbJobIam-label">{props.label}: </span>
      <span className="jp-NbJobIam-mono">{input.value ?? '—'}</span>
      <span className="jp-NbJobIam-muted"> ({sourceText(input.source)})</span>
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
  const scheduler = props.environment?.scheduler;
  if (!scheduler || !scheduler.blockers.length) {
    return null;
  }
  return (
    <div role="note" aria-label="Scheduler blockers">
      {scheduler.blockers.map(b => (
        <p key={b.code} className="jp-NbJobIam-warning">
          {b.message} <strong>Way out:</strong> {b.way_out}
        </p>
      ))}
    </div>
  );
}

/** What the check used: the role, the S3 folders, the KMS keys, each with where it came from. */
export function InputSources(props: { report: IReport }): JSX.Element | null {
  const { inputs, buckets, environment } = props.report;
  if (!inputs) {
    return null;
  }
  return (
    <section className="jp-NbJobIam-card" aria-label="Checked with">
      <h3>Checked with</h3>
      <ul className="jp-NbJobIam-list">
        <Row label="Execution role" input={inputs.role} />
        <Row label="S3 input" input={inputs.s3_input} />
        <Row label="S3 output" input={inputs.s3_output} />
        <Row label="Output KMS key" input={inputs.output_kms_key} />
        <Row label="Volume KMS key" input={inputs.volume_kms_key} />
      </ul>
      {buckets && buckets.length > 0 && (
        <p className="jp-NbJobIam-muted">
          Buckets checked:{' '}
          {buckets
            .map(
              b =>
                `${b.bucket}${b.prefix ? '/' + b.prefix : ''} (${b.used_for.join(', ')})`
            )
            .join('; ')}
        </p>
      )}
      <EnvironmentNotes environment={environment} />
    </section>
  );
}
