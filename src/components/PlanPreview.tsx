import * as React from 'react';

import { IPlan, IWrite } from '../tokens';
import { TARGET_TITLES } from './ReportView';

function Json(props: { label: string; value: unknown; open?: boolean }) {
  return (
    <details className="jp-NbJobIam-jsonDetails" open={props.open}>
      <summary>{props.label}</summary>
      {props.value === null || props.value === undefined ? (
        <p className="jp-NbJobIam-muted">
          (none: the policy does not exist yet)
        </p>
      ) : (
        <pre className="jp-NbJobIam-json">
          {JSON.stringify(props.value, null, 2)}
        </pre>
      )}
    </details>
  );
}

function where(write: IWrite): string {
  const p = write.principal ?? {};
  const who = [p.type, p.name].filter(Boolean).join(' ');
  return who || p.arn || TARGET_TITLES[write.target] || write.target;
}

function WriteItem(props: { write: IWrite }): JSX.Element {
  const { write } = props;
  const size = write.size;
  return (
    <li className="jp-NbJobIam-write" data-write-id={write.write_id}>
      <p className="jp-NbJobIam-writeSummary">{write.summary}</p>
      <dl className="jp-NbJobIam-facts">
        <dt>Call</dt>
        <dd>
          <code>{write.api_call}</code>
        </dd>
        <dt>Where</dt>
        <dd>{where(write)}</dd>
        {(write.policy_name || write.policy_arn) && (
          <>
            <dt>Policy</dt>
            <dd className="jp-NbJobIam-arn">
              {write.policy_arn || write.policy_name}
            </dd>
          </>
        )}
        {write.adds_sids.length > 0 && (
          <>
            <dt>Adds</dt>
            <dd>
              {write.adds_sids
                .map(sid =>
                  write.sid_renames?.[sid]
                    ? `${sid} (as ${write.sid_renames[sid]}: a different ${sid} is kept)`
                    : sid
                )
                .join(', ')}
            </dd>
          </>
        )}
        {write.adds_services.length > 0 && (
          <>
            <dt>Trusts</dt>
            <dd>{write.adds_services.join(', ')}</dd>
          </>
        )}
        {size?.after !== undefined && size?.quota !== undefined && (
          <>
            <dt>Size</dt>
            <dd>
              {size.aggregate_after ?? size.after} of {size.quota} characters
            </dd>
          </>
        )}
      </dl>
      <Json label="Before" value={write.before} />
      <Json label="After" value={write.after} />
    </li>
  );
}

/** Every write the fix would make, what it skips and what blocks it: nothing is hidden. */
export function PlanPreview(props: { plan: IPlan }): JSX.Element {
  const { plan } = props;
  const n = plan.writes.length;
  return (
    <div className="jp-NbJobIam-plan">
      <p>
        {n === 0
          ? 'There is nothing this tool can write.'
          : `${n} change${n === 1 ? '' : 's'} in account ${plan.account}. Nothing is written until you press Apply; every document replaced is backed up so you can undo.`}
      </p>
      {n > 0 && (
        <ol className="jp-NbJobIam-writes" aria-label="Changes">
          {plan.writes.map(write => (
            <WriteItem key={write.write_id} write={write} />
          ))}
        </ol>
      )}
      {plan.notes && plan.notes.length > 0 && (
        <ul
          className="jp-NbJobIam-notes jp-NbJobIam-muted"
          aria-label="Plan notes"
        >
          {plan.notes.map(note => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {plan.skipped.length > 0 && (
        <section aria-label="Not written">
          <h4>Not written</h4>
          <ul className="jp-NbJobIam-reasons">
            {plan.skipped.map(item => (
              <li key={`${item.target}-${item.sid}`}>
                <strong>{item.sid}</strong>{' '}
                <span className="jp-NbJobIam-muted">
                  ({TARGET_TITLES[item.target] ?? item.target})
                </span>
                : {item.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
      {plan.blocked.length > 0 && (
        <section aria-label="Needs an administrator">
          <h4>Needs an administrator</h4>
          <ul className="jp-NbJobIam-reasons">
            {plan.blocked.map(item => (
              <li key={`${item.target}-${item.sid ?? ''}-${item.reason}`}>
                <strong>{TARGET_TITLES[item.target] ?? item.target}</strong>:{' '}
                {item.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
