import * as React from 'react';

import { NbJobIamModel } from '../model';
import { summarize } from '../summary';

/** What the last fix or undo did, the re-check's verdict, and the Undo button. */
export function FixOutcome(props: {
  model: NbJobIamModel;
  onUndo: () => void;
}): JSX.Element | null {
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
    const changes = `${n} change${n === 1 ? '' : 's'}`;
    text =
      apply.status === 'applied'
        ? `Fixed: ${changes} applied.`
        : apply.status === 'partial'
          ? `Partly fixed: ${changes} applied, ${apply.failed.length} refused, ${apply.not_attempted.length} not attempted.`
          : 'Nothing could be changed: AWS refused the fix.';
    if (apply.report) {
      const gaps = summarize(apply.report).blocking.length;
      text +=
        gaps === 0
          ? ' The re-check finds nothing missing.'
          : ` The re-check still finds ${gaps} missing or incomplete.`;
    }
    if (!apply.verified && apply.status === 'applied') {
      const pending = apply.still_missing?.length
        ? ` (${apply.still_missing.join(', ')})`
        : '';
      text += ` IAM may take a few seconds to show the change everywhere${pending}: check again shortly.`;
    }
  } else if (undo) {
    const n = undo.restored.length;
    text = `Undone: ${n} document${n === 1 ? '' : 's'} restored to what they were before the fix.`;
  } else {
    text = 'A fix was applied earlier.';
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
      {backupId && (
        <div className="jp-NbJobIam-buttonRow">
          <button
            type="button"
            className="jp-NbJobIam-button"
            disabled={model.busy}
            onClick={props.onUndo}
          >
            Undo
          </button>
          <span className="jp-NbJobIam-muted jp-NbJobIam-backup">
            Backup <code>{backupId}</code>
          </span>
        </div>
      )}
    </div>
  );
}
