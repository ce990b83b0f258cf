import { TranslationBundle } from '@jupyterlab/translation';

import { ENGLISH } from './i18n';
import { IReport, IStatementResult } from './tokens';

/** The one thing to do next, which the panel offers as its primary button. */
export type NextAction =
  'fix' | 'administrator' | 'review' | 'choose-role' | 'none';

/** What a report means for the person, counted once for the verdict and the buttons. */
export interface IReportSummary {
  /** Statements that count: every one but the legacy ones. */
  total: number;
  ok: number;
  /** Missing, partial or denied statements the current scheduler needs: the fix is for these. */
  blocking: IStatementResult[];
  /** Conditional or unknown: the check cannot tell; a person should look. */
  uncertain: IStatementResult[];
  /** Not-OK statements only scheduler versions before 3.0 use: they do not count. */
  legacy: IStatementResult[];
  tone: 'ok' | 'info' | 'gaps';
  verdict: string;
  next: NextAction;
}

const BLOCKING = new Set(['missing', 'partial', 'denied']);

/** True for a row that does not count against the verdict (shown neutral, saying why). */
export function isNeutral(statement: IStatementResult): boolean {
  return Boolean(statement.legacy) && statement.status !== 'ok';
}

export function summarize(
  report: IReport,
  trans: TranslationBundle = ENGLISH
): IReportSummary {
  const all = ([] as IStatementResult[]).concat(
    ...report.targets.map(t => t.statements)
  );
  const counted = all.filter(s => !s.legacy);
  const notOk = all.filter(s => s.status !== 'ok');
  const legacy = notOk.filter(s => s.legacy);
  const current = notOk.filter(s => !s.legacy);
  const blocking = current.filter(s => BLOCKING.has(s.status));
  const uncertain = current.filter(s => !BLOCKING.has(s.status));
  const legacyNote = legacy.length
    ? ' ' +
      trans._n(
        '%1 legacy statement for scheduler versions before 3.0 is not needed.',
        '%1 legacy statements for scheduler versions before 3.0 are not needed.',
        legacy.length
      )
    : '';
  const unknown = uncertain.filter(s => s.status === 'unknown');
  const conditional = uncertain.filter(s => s.status !== 'unknown');
  const editable = report.identity.editable || (report.role?.editable ?? false);
  let tone: IReportSummary['tone'];
  let verdict: string;
  let next: NextAction = 'none';
  if (blocking.length > 0) {
    tone = 'gaps';
    verdict = trans._n(
      '%1 of %2 required statements is missing or incomplete.',
      '%1 of %2 required statements are missing or incomplete.',
      blocking.length,
      counted.length
    );
    next = editable ? 'fix' : 'administrator';
  } else if (unknown.length > 0) {
    tone = 'info';
    verdict =
      trans._n(
        '%1 statement could not be checked: some of the policies could not be read (see the details).',
        '%1 statements could not be checked: some of the policies could not be read (see the details).',
        unknown.length
      ) + legacyNote;
    next = 'review';
  } else if (conditional.length > 0) {
    tone = 'info';
    verdict =
      trans._n(
        'Nothing is missing. %1 statement depends on details the check cannot know: review it.',
        'Nothing is missing. %1 statements depend on details the check cannot know: review them.',
        conditional.length
      ) + legacyNote;
    next = 'review';
  } else if (!report.role) {
    tone = 'info';
    verdict =
      trans.__(
        'Your own permissions are complete, but no execution role was checked: choose the role your jobs will use.'
      ) + legacyNote;
    next = 'choose-role';
  } else if (report.ok || notOk.length === 0) {
    tone = 'ok';
    verdict = trans.__(
      'All set: notebook jobs have every permission they need.'
    );
  } else {
    tone = 'ok';
    verdict = trans.__('Nothing is missing.') + legacyNote;
  }
  return {
    total: counted.length,
    ok: counted.length - current.length,
    blocking,
    uncertain,
    legacy,
    tone,
    verdict,
    next
  };
}

/** The next step in words, under the verdict. */
export function nextStepText(
  next: NextAction,
  trans: TranslationBundle = ENGLISH
): string {
  switch (next) {
    case 'fix':
      return trans.__(
        'Next: Fix permissions previews every change before anything is written.'
      );
    case 'administrator':
      return trans.__(
        'Next: you cannot change these policies yourself; copy the request for an administrator.'
      );
    case 'review':
      return trans.__('Next: open the rows marked below and review them.');
    case 'choose-role':
      return trans.__('Next: choose the execution role, then check again.');
    default:
      return trans.__('You can schedule notebook jobs.');
  }
}
