import * as React from 'react';

import { StatementStatus } from '../tokens';

/** The status of a statement in words (colour is only a second channel). */
export const STATUS_LABELS: { [status in StatementStatus]: string } = {
  ok: 'OK',
  missing: 'Missing',
  partial: 'Partial',
  denied: 'Denied',
  conditional: 'Conditional',
  unknown: 'Unknown'
};

export function StatusBadge(props: { status: StatementStatus }): JSX.Element {
  const status = STATUS_LABELS[props.status] ? props.status : 'unknown';
  return (
    <span
      className={`jp-NbJobIam-badge jp-NbJobIam-badge--${status}`}
      data-status={status}
    >
      {STATUS_LABELS[status]}
    </span>
  );
}
