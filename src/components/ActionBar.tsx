import * as React from 'react';

import { Activity, NbJobIamModel } from '../model';
import { summarize } from '../summary';

const PROGRESS: { [activity in Activity]: string } = {
  idle: '',
  loading: 'Reading your AWS identity and roles…',
  checking: 'Checking permissions…',
  planning: 'Preparing the preview of the fix…',
  applying: 'Applying the fix, then checking again…',
  undoing: 'Undoing the fix, then checking again…'
};

export interface IActionCallbacks {
  onCheck: () => void;
  onFix: () => void;
  onCopyForAdministrator: () => void;
  onUndo: () => void;
}

/** True when only an administrator can close the gaps: offer the hand-off first. */
export function needsAdministrator(model: NbJobIamModel): boolean {
  const report = model.report;
  const plan = model.lastPlan;
  const apply = model.lastApply;
  return Boolean(
    (plan && plan.blocked.length > 0) ||
    (apply && apply.status !== 'applied') ||
    model.error?.errorCode === 'access_denied' ||
    (report &&
      !report.ok &&
      !report.identity.editable &&
      !(report.role?.editable ?? true))
  );
}

/** Check, fix and hand-off, with the progress of whatever is running. */
export function ActionBar(
  props: { model: NbJobIamModel } & IActionCallbacks
): JSX.Element {
  const { model } = props;
  const busy = model.busy;
  const report = model.report;
  const adminFirst = needsAdministrator(model);
  const canFix = !!report && summarize(report).blocking.length > 0;
  return (
    <div className="jp-NbJobIam-actions">
      <div className="jp-NbJobIam-buttonRow">
        <button
          type="button"
          className={'jp-NbJobIam-button' + (canFix ? '' : ' jp-mod-accept')}
          disabled={busy}
          aria-busy={model.activity === 'checking'}
          onClick={props.onCheck}
        >
          Check permissions
        </button>
        {canFix && (
          <button
            type="button"
            className="jp-NbJobIam-button jp-mod-accept"
            disabled={busy}
            onClick={props.onFix}
          >
            Fix permissions
          </button>
        )}
      </div>
      {report && (
        <div className="jp-NbJobIam-buttonRow">
          <button
            type="button"
            className={
              'jp-NbJobIam-button' +
              (adminFirst ? ' jp-mod-warn' : ' jp-mod-quiet')
            }
            disabled={busy}
            onClick={props.onCopyForAdministrator}
          >
            Copy for administrator
          </button>
        </div>
      )}
      <div
        className="jp-NbJobIam-progress"
        role="status"
        aria-live="polite"
        data-activity={model.activity}
      >
        {busy && (
          <>
            <span className="jp-NbJobIam-progressBar" aria-hidden="true" />
            <span className="jp-NbJobIam-progressText">
              {PROGRESS[model.activity]}
            </span>
          </>
        )}
      </div>
    </div>
  );
}
