import { caretDownIcon, caretRightIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { shortRoleArn } from '../roles';
import { summarize } from '../summary';
import {
  IReport,
  IStatementResult,
  ITargetResult,
  TargetName
} from '../tokens';
import { StatusBadge } from './StatusBadge';

export const TARGET_TITLES: { [target in TargetName]: string } = {
  identity: 'Your identity',
  trust: 'Role trust',
  role: 'Role permissions',
  kms: 'KMS key'
};

const TARGET_ORDER: TargetName[] = ['identity', 'trust', 'role', 'kms'];

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
}): JSX.Element {
  const { result } = props;
  const [open, setOpen] = React.useState(false);
  const id = `nbjob-iam-${props.target}-${result.sid}`;
  const Caret = open ? caretDownIcon : caretRightIcon;
  return (
    <li
      className={
        'jp-NbJobIam-statement' +
        (result.legacy ? ' jp-NbJobIam-statement--legacy' : '')
      }
      data-sid={result.sid}
    >
      <button
        type="button"
        className="jp-NbJobIam-statementToggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        <Caret.react tag="span" className="jp-NbJobIam-caret" />
        <span className="jp-NbJobIam-sid">
          {result.sid}
          {result.legacy && (
            <span className="jp-NbJobIam-muted"> (legacy)</span>
          )}
        </span>
        <StatusBadge status={result.status} />
      </button>
      {open && (
        <div id={id} className="jp-NbJobIam-statementDetail">
          {result.detail && <p>{result.detail}</p>}
          {result.why && (
            <p className="jp-NbJobIam-muted">Used for: {result.why}</p>
          )}
          <List title="Missing actions" items={result.missing_actions} />
          <List
            title="Services the role must trust"
            items={result.missing_services}
          />
          <List
            title="Depends on unknown context"
            items={result.unknown_keys}
          />
          <List
            title="Decided by"
            items={result.decided_by?.map(d =>
              `${d.effect ?? ''} ${d.policy} (${d.source})${d.sid ? ' ' + d.sid : ''}`.trim()
            )}
          />
          {result.status !== 'ok' &&
            result.statement !== undefined &&
            result.statement !== null && (
              <div className="jp-NbJobIam-detailBlock">
                <div className="jp-NbJobIam-label">The fix would add</div>
                <pre
                  className="jp-NbJobIam-json"
                  tabIndex={0}
                  aria-label={`JSON for ${result.sid}`}
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

function TargetGroup(props: { target: ITargetResult }): JSX.Element {
  const { target } = props;
  const title = TARGET_TITLES[target.target] ?? target.target;
  const okCount = target.statements.filter(s => s.status === 'ok').length;
  const headingId = `nbjob-iam-target-${target.target}`;
  return (
    <section
      className="jp-NbJobIam-target"
      aria-labelledby={headingId}
      data-target={target.target}
    >
      <h4 id={headingId} className="jp-NbJobIam-targetTitle">
        {title}
      </h4>
      <span className="jp-NbJobIam-muted jp-NbJobIam-targetCount">
        {okCount} of {target.statements.length} OK
      </span>
      <ul className="jp-NbJobIam-statements">
        {target.statements.map(statement => (
          <StatementRow
            key={statement.sid}
            target={target.target}
            result={statement}
          />
        ))}
      </ul>
    </section>
  );
}

/** The check's report: a one-line verdict, then one group per target. */
export function ReportView(props: {
  report: IReport;
  checkedAt: string | null;
  busy: boolean;
}): JSX.Element {
  const { report } = props;
  const targets = [...report.targets].sort(
    (a, b) => TARGET_ORDER.indexOf(a.target) - TARGET_ORDER.indexOf(b.target)
  );
  const summary = summarize(report);
  const when = props.checkedAt
    ? new Date(props.checkedAt).toLocaleTimeString([], {
        hour: '2-digit',
        minute: '2-digit'
      })
    : null;
  return (
    <section
      className="jp-NbJobIam-report"
      aria-labelledby="nbjob-iam-results-heading"
      aria-busy={props.busy}
    >
      <h3 id="nbjob-iam-results-heading" className="jp-NbJobIam-cardTitle">
        Results
      </h3>
      <div
        className={`jp-NbJobIam-verdict jp-NbJobIam-verdict--${summary.tone}`}
        data-testid="nbjob-iam-verdict"
      >
        {summary.verdict}
      </div>
      <p className="jp-NbJobIam-muted jp-NbJobIam-reportMeta">
        {report.role ? `Role ${shortRoleArn(report.role.arn)}` : 'No role'}
        {` · ${report.region}`}
        {when ? ` · checked ${when}` : ''}
        {` · ${report.engine} engine`}
      </p>
      {targets.map(target => (
        <TargetGroup key={target.target} target={target} />
      ))}
      {report.notes && report.notes.length > 0 && (
        <ul className="jp-NbJobIam-notes jp-NbJobIam-muted" aria-label="Notes">
          {report.notes.map(note => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
