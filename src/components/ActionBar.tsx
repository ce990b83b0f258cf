import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { useTrans } from '../i18n';
import { Activity, NbJobIamModel } from '../model';
import { summarize } from '../summary';

function progressText(activity: Activity, trans: TranslationBundle): string {
  switch (activity) {
    case 'loading':
      return trans.__('Reading your AWS identity and roles…');
    case 'checking':
      return trans.__('Checking permissions…');
    case 'planning':
      return trans.__('Preparing the preview of the fix…');
    case 'applying':
      return trans.__('Applying the fix, then checking again…');
    case 'undoing':
      return trans.__('Undoing the fix, then checking again…');
    default:
      return '';
  }
}

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

/** Check, fix and hand-off (the one next action is the accented button), and what is running. */
export function ActionBar(
  props: { model: NbJobIamModel } & IActionCallbacks
): JSX.Element {
  const trans = useTrans();
  const { model } = props;
  const busy = model.busy;
  const report = model.report;
  const adminFirst = needsAdministrator(model);
  const canFix = !!report && summarize(report, trans).blocking.length > 0;
  const primary = !report
    ? 'check'
    : adminFirst
      ? 'copy'
      : canFix
        ? 'fix'
        : 'check';
  const kind = (name: string) =>
    'jp-NbJobIam-button' +
    (name === primary
      ? ' jp-mod-accept'
      : adminFirst && name === 'copy'
        ? ' jp-mod-warn'
        : '');
  return (
    <div className="jp-NbJobIam-actions">
      <div className="jp-NbJobIam-buttonRow">
        {canFix && (
          <Button className={kind('fix')} disabled={busy} onClick={props.onFix}>
            {trans.__('Fix permissions')}
          </Button>
        )}
        <Button
          className={kind('check')}
          disabled={busy}
          aria-busy={model.activity === 'checking'}
          onClick={props.onCheck}
        >
          {trans.__('Check permissions')}
        </Button>
        {report && (
          <Button
            className={kind('copy')}
            disabled={busy}
            onClick={props.onCopyForAdministrator}
          >
            {trans.__('Copy for administrator')}
          </Button>
        )}
      </div>
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
              {progressText(model.activity, trans)}
            </span>
          </>
        )}
      </div>
    </div>
  );
}
