import { summarize } from '../summary';
import { IReport, IStatementResult } from '../tokens';
import { report } from './fakeServer';

function withStatements(statements: Partial<IStatementResult>[]): IReport {
  return {
    ...report(false),
    targets: [
      {
        target: 'identity',
        statements: statements.map((s, i) => ({
          sid: `S${i}`,
          status: 'ok',
          detail: '',
          ...s
        })) as IStatementResult[]
      }
    ]
  };
}

describe('summarize', () => {
  it('counts what the fix is for', () => {
    const summary = summarize(report(false));
    expect(summary.tone).toBe('gaps');
    expect(summary.blocking.map(s => s.sid)).toEqual([
      'EventBridgeSchedule',
      'TrustRelationship'
    ]);
    expect(summary.verdict).toBe(
      '2 of 2 required statements are missing or incomplete.'
    );
  });

  it('says all set when the server says ok', () => {
    expect(summarize(report(true)).tone).toBe('ok');
    expect(summarize(report(true)).verdict).toMatch(/^All set/);
  });

  it('does not count legacy statements nor conditions as gaps', () => {
    // Given a report after the fix: a legacy statement missing, one conditional
    const summary = summarize(
      withStatements([
        { status: 'ok' },
        { status: 'missing', legacy: true },
        { status: 'conditional', unknown_keys: ['aws:SourceIp'] }
      ])
    );

    // Then nothing needs a fix, and the person is told what to review
    expect(summary.blocking).toHaveLength(0);
    expect(summary.tone).toBe('info');
    expect(summary.verdict).toBe(
      'Nothing is missing. 1 statement depends on details the check cannot know: review it. ' +
        '1 legacy statement for scheduler versions before 3.0 is not needed.'
    );
  });

  it('is ok when only legacy statements are missing', () => {
    const summary = summarize(
      withStatements([{ status: 'missing', legacy: true }])
    );
    expect(summary.tone).toBe('ok');
    expect(summary.verdict).toMatch(/^Nothing is missing\. 1 legacy/);
  });

  it('never says nothing is missing when policies could not be read', () => {
    const summary = summarize(
      withStatements([{ status: 'ok' }, { status: 'unknown' }])
    );
    expect(summary.tone).toBe('info');
    expect(summary.verdict).toBe(
      '1 statement could not be checked: some of the policies could not be read (see the details).'
    );
  });

  it('is not all set when no execution role was checked', () => {
    const summary = summarize({
      ...withStatements([{ status: 'ok' }]),
      role: null,
      ok: false
    });
    expect(summary.tone).toBe('info');
    expect(summary.verdict).toMatch(/no execution role was checked/);
  });
});
