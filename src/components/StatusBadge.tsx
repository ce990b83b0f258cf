import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { useTrans } from '../i18n';
import { StatementStatus } from '../tokens';

/** The status of a statement in words (colour is only a second channel). */
export function statusLabel(
  status: StatementStatus,
  trans: TranslationBundle
): string {
  switch (status) {
    case 'ok':
      return trans.__('OK');
    case 'missing':
      return trans.__('Missing');
    case 'partial':
      return trans.__('Partial');
    case 'denied':
      return trans.__('Denied');
    case 'conditional':
      return trans.__('Conditional');
    default:
      return trans.__('Unknown');
  }
}

const KNOWN = new Set(['ok', 'missing', 'partial', 'denied', 'conditional']);

/** A status in words; `neutral` for a row that does not count (shown grey, saying "Not counted"). */
export function StatusBadge(props: {
  status: StatementStatus;
  neutral?: boolean;
}): JSX.Element {
  const trans = useTrans();
  const status = KNOWN.has(props.status) ? props.status : 'unknown';
  const shown = props.neutral ? 'neutral' : status;
  return (
    <span
      className={`jp-NbJobIam-badge jp-NbJobIam-badge--${shown}`}
      data-status={shown}
    >
      {props.neutral ? trans.__('Not counted') : statusLabel(status, trans)}
    </span>
  );
}
