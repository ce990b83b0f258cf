import { IReport, IStatementResult } from './tokens';

/** What a report means for the person, counted once for the verdict and the buttons. */
export interface IReportSummary {
  total: number;
  ok: number;
  /** Missing, partial or denied statements the current scheduler needs: the fix is for these. */
  blocking: IStatementResult[];
  /** Conditional or unknown: the check cannot tell; a person should look. */
  uncertain: IStatementResult[];
  /** Not-OK statements only scheduler versions before 3.0 use. */
  legacy: IStatementResult[];
  tone: 'ok' | 'info' | 'gaps';
  verdict: string;
}

const BLOCKING = new Set(['missing', 'partial', 'denied']);

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function summarize(report: IReport): IReportSummary {
  const all = ([] as IStatementResult[]).concat(
    ...report.targets.map(t => t.statements)
  );
  const notOk = all.filter(s => s.status !== 'ok');
  const legacy = notOk.filter(s => s.legacy);
  const current = notOk.filter(s => !s.legacy);
  const blocking = current.filter(s => BLOCKING.has(s.status));
  const uncertain = current.filter(s => !BLOCKING.has(s.status));
  const legacyNote = legacy.length
    ? ` ${plural(legacy.length, 'legacy statement')} for scheduler versions before 3.0 ${legacy.length === 1 ? 'is' : 'are'} not needed.`
    : '';
  const unknown = uncertain.filter(s => s.status === 'unknown');
  const conditional = uncertain.filter(s => s.status !== 'unknown');
  let tone: IReportSummary['tone'];
  let verdict: string;
  if (blocking.length > 0) {
    tone = 'gaps';
    verdict = `${blocking.length} of ${all.length} required statements are missing or incomplete.`;
  } else if (unknown.length > 0) {
    tone = 'info';
    verdict =
      `${plural(unknown.length, 'statement')} could not be checked: some of the policies could not be read (see the details).` +
      legacyNote;
  } else if (conditional.length > 0) {
    tone = 'info';
    verdict =
      `Nothing is missing. ${plural(conditional.length, 'statement')} ` +
      `${conditional.length === 1 ? 'depends' : 'depend'} on details the check cannot know: review ${conditional.length === 1 ? 'it' : 'them'}.` +
      legacyNote;
  } else if (!report.role) {
    tone = 'info';
    verdict =
      'Your own permissions are complete, but no execution role was checked: choose the role your jobs will use.' +
      legacyNote;
  } else if (report.ok || notOk.length === 0) {
    tone = 'ok';
    verdict = 'All set: notebook jobs have every permission they need.';
  } else {
    tone = 'ok';
    verdict = 'Nothing is missing.' + legacyNote;
  }
  return {
    total: all.length,
    ok: all.length - notOk.length,
    blocking,
    uncertain,
    legacy,
    tone,
    verdict
  };
}
