import * as React from 'react';

import { useTrans } from '../i18n';
import { IPlan, IWrite } from '../tokens';
import { targetTitle } from './ReportView';

function Json(props: { label: string; value: unknown; open?: boolean }) {
  const trans = useTrans();
  return (
    <details className="jp-NbJobIam-jsonDetails" open={props.open}>
      <summary>{props.label}</summary>
      {props.value === null || props.value === undefined ? (
        <p className="jp-NbJobIam-muted">
          {trans.__('(none: the policy does not exist yet)')}
        </p>
      ) : (
        <pre className="jp-NbJobIam-json">
          {JSON.stringify(props.value, null, 2)}
        </pre>
      )}
    </details>
  );
}

function WriteItem(props: { write: IWrite }): JSX.Element {
  const trans = useTrans();
  const { write } = props;
  const size = write.size;
  const p = write.principal ?? {};
  const where =
    [p.type, p.name].filter(Boolean).join(' ') ||
    p.arn ||
    targetTitle(write.target, trans);
  return (
    <li className="jp-NbJobIam-write" data-write-id={write.write_id}>
      <p className="jp-NbJobIam-writeSummary">{write.summary}</p>
      <dl className="jp-NbJobIam-facts">
        <dt>{trans.__('Call')}</dt>
        <dd>
          <code>{write.api_call}</code>
        </dd>
        <dt>{trans.__('Where')}</dt>
        <dd>{where}</dd>
        {(write.policy_name || write.policy_arn) && (
          <>
            <dt>{trans.__('Policy')}</dt>
            <dd className="jp-NbJobIam-arn">
              {write.policy_arn || write.policy_name}
            </dd>
          </>
        )}
        {write.adds_sids.length > 0 && (
          <>
            <dt>{trans.__('Adds')}</dt>
            <dd>
              {write.adds_sids
                .map(sid =>
                  write.sid_renames?.[sid]
                    ? trans.__(
                        '%1 (as %2: a different %1 is kept)',
                        sid,
                        write.sid_renames[sid]
                      )
                    : sid
                )
                .join(', ')}
            </dd>
          </>
        )}
        {write.adds_services.length > 0 && (
          <>
            <dt>{trans.__('Trusts')}</dt>
            <dd>{write.adds_services.join(', ')}</dd>
          </>
        )}
        {size?.after !== undefined && size?.quota !== undefined && (
          <>
            <dt>{trans.__('Size')}</dt>
            <dd>
              {trans.__(
                '%1 of %2 characters',
                size.aggregate_after ?? size.after,
                size.quota
              )}
            </dd>
          </>
        )}
      </dl>
      <Json label={trans.__('Before')} value={write.before} />
      <Json label={trans.__('After')} value={write.after} />
    </li>
  );
}

/** Every write the fix would make, what it skips and what blocks it: nothing is hidden. */
export function PlanPreview(props: { plan: IPlan }): JSX.Element {
  const trans = useTrans();
  const { plan } = props;
  const n = plan.writes.length;
  return (
    <div className="jp-NbJobIam-plan">
      <p>
        {n === 0
          ? trans.__('There is nothing this tool can write.')
          : trans._n(
              '%1 change in account %2. Nothing is written until you press Apply; every document replaced is backed up so you can undo.',
              '%1 changes in account %2. Nothing is written until you press Apply; every document replaced is backed up so you can undo.',
              n,
              plan.account
            )}
      </p>
      {plan.mode && (
        <div className="jp-NbJobIam-planMode" data-mode={plan.mode.name}>
          <p className="jp-NbJobIam-muted">{plan.mode.text}</p>
          {plan.mode.warnings.map(warning => (
            <p key={warning} className="jp-NbJobIam-warning">
              {warning}
            </p>
          ))}
        </div>
      )}
      {n > 0 && (
        <ol className="jp-NbJobIam-writes" aria-label={trans.__('Changes')}>
          {plan.writes.map(write => (
            <WriteItem key={write.write_id} write={write} />
          ))}
        </ol>
      )}
      {plan.notes && plan.notes.length > 0 && (
        <ul
          className="jp-NbJobIam-notes jp-NbJobIam-muted"
          aria-label={trans.__('Plan notes')}
        >
          {plan.notes.map(note => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {plan.skipped.length > 0 && (
        <section aria-label={trans.__('Not written')}>
          <h4>{trans.__('Not written')}</h4>
          <ul className="jp-NbJobIam-reasons">
            {plan.skipped.map(item => (
              <li key={`${item.target}-${item.sid}`}>
                <strong>{item.sid}</strong>{' '}
                <span className="jp-NbJobIam-muted">
                  ({targetTitle(item.target, trans)})
                </span>
                : {item.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
      {plan.blocked.length > 0 && (
        <section aria-label={trans.__('Needs an administrator')}>
          <h4>{trans.__('Needs an administrator')}</h4>
          <ul className="jp-NbJobIam-reasons">
            {plan.blocked.map(item => (
              <li key={`${item.target}-${item.sid ?? ''}-${item.reason}`}>
                <strong>{targetTitle(item.target, trans)}</strong>:{' '}
                {item.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
