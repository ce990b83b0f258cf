import { TranslationBundle } from '@jupyterlab/translation';
import {
  Button,
  caretDownIcon,
  caretRightIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { useTrans } from '../i18n';
import { isNeutral, summarize } from '../summary';
import {
  IReport,
  IStatementResult,
  ITargetResult,
  TargetName
} from '../tokens';
import { StatusBadge, statusLabel } from './StatusBadge';

export function targetTitle(
  target: TargetName,
  trans: TranslationBundle
): string {
  switch (target) {
    case 'identity':
      return trans.__('Your identity');
    case 'trust':
      return trans.__('Role trust');
    case 'role':
      return trans.__('Role permissions');
    case 'kms':
      return trans.__('KMS key');
    default:
      return target;
  }
}

export const TARGET_ORDER: TargetName[] = ['identity', 'trust', 'role', 'kms'];

function List(props: { title: string; items?: string[] | null }) {
  if (!props.items || props.items.length === 0) {
    return null;
  }
  return (
    <div className="jp-NbJobIam-detailBlock">
      <div className="jp-NbJobIam-label">{props.title}</div>
      <ul className="jp-NbJobIam-codeList">
        {props.items.map(item => (
          <li key={item}>
            <code>{item}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** One required statement: a toggle with its status, and the why and what when expanded. */
function StatementRow(props: {
  target: TargetName;
  result: IStatementResult;
  open: boolean;
}): JSX.Element {
  const trans = useTrans();
  const { result } = props;
  const [open, setOpen] = React.useState(props.open);
  const neutral = isNeutral(result);
  const id = `nbjob-iam-${props.target}-${result.sid}`;
  const Caret = open ? caretDownIcon : caretRightIcon;
  return (
    <li
      className={
        'jp-NbJobIam-statement' +
        (neutral ? ' jp-NbJobIam-statement--neutral' : '')
      }
      data-sid={result.sid}
    >
      <Button
        minimal
        className="jp-NbJobIam-statementToggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        <Caret.react tag="span" className="jp-NbJobIam-caret" />
        <span className="jp-NbJobIam-sid">
          {result.sid}
          {result.legacy && (
            <span className="jp-NbJobIam-muted"> {trans.__('(legacy)')}</span>
          )}
        </span>
        <StatusBadge status={result.status} neutral={neutral} />
      </Button>
      {neutral && (
        <p className="jp-NbJobIam-neutralWhy">
          {trans.__(
            '%1, but only scheduler versions before 3.0 use it: it does not count.',
            statusLabel(result.status, trans)
          )}
        </p>
      )}
      {open && (
        <div id={id} className="jp-NbJobIam-statementDetail">
          {result.detail && <p>{result.detail}</p>}
          {result.why && (
            <p className="jp-NbJobIam-muted">
              {trans.__('Used for:')} {result.why}
            </p>
          )}
          <List
            title={trans.__('Missing actions')}
            items={result.missing_actions}
          />
          <List
            title={trans.__('Services the role must trust')}
            items={result.missing_services}
          />
          <List
            title={trans.__('Depends on unknown context')}
            items={result.unknown_keys}
          />
          <List
            title={trans.__('Decided by')}
            items={result.decided_by?.map(d =>
              `${d.effect ?? ''} ${d.policy} (${d.source})${d.sid ? ' ' + d.sid : ''}`.trim()
            )}
          />
          {result.status !== 'ok' &&
            result.statement !== undefined &&
            result.statement !== null && (
              <div className="jp-NbJobIam-detailBlock">
                <div className="jp-NbJobIam-label">
                  {trans.__('The fix would add')}
                </div>
                <pre
                  className="jp-NbJobIam-json"
                  tabIndex={0}
                  aria-label={trans.__('JSON for %1', result.sid)}
                >
                  {JSON.stringify(result.statement, null, 2)}
                </pre>
              </div>
            )}
        </div>
      )}
    </li>
  );
}

function TargetGroup(props: {
  target: ITargetResult;
  openSid: string | null;
  version: string;
}): JSX.Element {
  const trans = useTrans();
  const { target } = props;
  const counted = target.statements.filter(s => !s.legacy);
  const okCount = counted.filter(s => s.status === 'ok').length;
  const headingId = `nbjob-iam-target-${target.target}`;
  return (
    <section
      className="jp-NbJobIam-target"
      aria-labelledby={headingId}
      data-target={target.target}
    >
      <h4 id={headingId} className="jp-NbJobIam-targetTitle">
        {targetTitle(target.target, trans)}
      </h4>
      <span className="jp-NbJobIam-muted jp-NbJobIam-targetCount">
        {trans.__('%1 of %2 OK', okCount, counted.length)}
      </span>
      <ul className="jp-NbJobIam-statements">
        {target.statements.map(statement => (
          <StatementRow
            // a new report starts with its own rows (the first failing one open)
            key={`${props.version}-${statement.sid}`}
            target={target.target}
            result={statement}
            open={statement.sid === props.openSid}
          />
        ))}
      </ul>
    </section>
  );
}

/** The check's report: one group per target, the first failing statement expanded. */
export function ReportView(props: {
  report: IReport;
  checkedAt: string | null;
  busy: boolean;
}): JSX.Element {
  const trans = useTrans();
  const { report } = props;
  const targets = [...report.targets].sort(
    (a, b) => TARGET_ORDER.indexOf(a.target) - TARGET_ORDER.indexOf(b.target)
  );
  const first = summarize(report, trans).blocking[0] ?? null;
  const firstTarget = first
    ? targets.find(t => t.statements.includes(first))?.target
    : null;
  return (
    <section
      className="jp-NbJobIam-report"
      aria-label={trans.__('Results')}
      aria-busy={props.busy}
    >
      {targets.map(target => (
        <TargetGroup
          key={target.target}
          target={target}
          openSid={target.target === firstTarget ? first!.sid : null}
          version={props.checkedAt ?? ''}
        />
      ))}
      {report.notes && report.notes.length > 0 && (
        <ul
          className="jp-NbJobIam-notes jp-NbJobIam-muted"
          aria-label={trans.__('Notes')}
        >
          {report.notes.map(note => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
