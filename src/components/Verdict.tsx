import * as React from 'react';

import { useTrans } from '../i18n';
import { shortRoleArn } from '../roles';
import { nextStepText, summarize } from '../summary';
import { IReport } from '../tokens';

/** The answer first: ready, or n of m missing, and the one thing to do next. */
export function Verdict(props: {
  report: IReport;
  checkedAt: string | null;
}): JSX.Element {
  const trans = useTrans();
  const { report } = props;
  const ref = React.useRef<HTMLDivElement>(null);
  // Each new answer is brought into view, wherever the panel was scrolled to when Check was pressed.
  React.useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [props.checkedAt]);
  const summary = summarize(report, trans);
  const when = props.checkedAt
    ? new Date(props.checkedAt).toLocaleTimeString([], {
        hour: '2-digit',
        minute: '2-digit'
      })
    : null;
  const meta = [
    report.role
      ? trans.__('Role %1', shortRoleArn(report.role.arn))
      : trans.__('No role'),
    report.region,
    ...(when ? [trans.__('checked %1', when)] : []),
    trans.__('%1 engine', report.engine)
  ];
  return (
    <div
      ref={ref}
      className={`jp-NbJobIam-summary jp-NbJobIam-summary--${summary.tone}`}
      aria-labelledby="nbjob-iam-verdict"
    >
      <p
        id="nbjob-iam-verdict"
        className={`jp-NbJobIam-verdict jp-NbJobIam-verdict--${summary.tone}`}
        data-testid="nbjob-iam-verdict"
      >
        {summary.verdict}
      </p>
      <p className="jp-NbJobIam-next" data-testid="nbjob-iam-next">
        {nextStepText(summary.next, trans)}
      </p>
      <p className="jp-NbJobIam-muted jp-NbJobIam-reportMeta">
        {meta.join(' · ')}
      </p>
    </div>
  );
}
