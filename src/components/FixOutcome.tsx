import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { useTrans } from '../i18n';
import { NbJobIamModel } from '../model';
import { summarize } from '../summary';

/** What the last fix or undo did, the re-check's verdict, and the Undo button. */
export function FixOutcome(props: {
  model: NbJobIamModel;
  onUndo: () => void;
}): JSX.Element | null {
  const trans = useTrans();
  const { model } = props;
  const apply = model.lastApply;
  const undo = model.lastUndo;
  const backupId = model.backupId;
  if (!apply && !undo && !backupId) {
    return null;
  }
  let text: string;
  if (apply) {
    const n = apply.applied.length;
    text =
      apply.status === 'applied'
        ? trans._n('Fixed: %1 change applied.', 'Fixed: %1 changes applied.', n)
        : apply.status === 'partial'
          ? trans._n(
              'Partly fixed: %1 change applied, %2 refused, %3 not attempted.',
              'Partly fixed: %1 changes applied, %2 refused, %3 not attempted.',
              n,
              apply.failed.length,
              apply.not_attempted.length
            )
          : trans.__('Nothing could be changed: AWS refused the fix.');
    if (apply.report) {
      const gaps = summarize(apply.report, trans).blocking.length;
      text +=
        ' ' +
        (gaps === 0
          ? trans.__('The re-check finds nothing missing.')
          : trans._n(
              'The re-check still finds %1 missing or incomplete.',
              'The re-check still finds %1 missing or incomplete.',
              gaps
            ));
    }
    if (!apply.verified && apply.status === 'applied') {
      const pending = apply.still_missing?.length
        ? ` (${apply.still_missing.join(', ')})`
        : '';
      text +=
        ' ' +
        trans.__(
          'IAM may take a few seconds to show the change everywhere%1: check again shortly.',
          pending
        );
    }
  } else if (undo) {
    text = trans._n(
      'Undone: %1 document restored to what it was before the fix.',
      'Undone: %1 documents restored to what they were before the fix.',
      undo.restored.length
    );
  } else {
    text = trans.__('A fix was applied earlier.');
  }
  return (
    <div
      className={
        'jp-NbJobIam-outcome' +
        (apply && apply.status !== 'applied'
          ? ' jp-NbJobIam-outcome--warn'
          : '')
      }
      data-testid="nbjob-iam-outcome"
    >
      <p>{text}</p>
      {apply?.failed.map(failure => (
        <p
          key={failure.write_id ?? failure.api_call}
          className="jp-NbJobIam-muted"
        >
          <code>{failure.api_call}</code>: {failure.error.message}
        </p>
      ))}
      {undo?.check_error && (
        <p className="jp-NbJobIam-muted">
          {trans.__(
            'The re-check after the undo failed: %1',
            undo.check_error.message
          )}
        </p>
      )}
      {backupId && (
        <div className="jp-NbJobIam-buttonRow">
          <Button
            className="jp-NbJobIam-button"
            disabled={model.busy}
            onClick={props.onUndo}
          >
            {trans.__('Undo')}
          </Button>
          <span className="jp-NbJobIam-muted jp-NbJobIam-backup">
            {trans.__('Backup')} <code>{backupId}</code>
          </span>
        </div>
      )}
    </div>
  );
}
