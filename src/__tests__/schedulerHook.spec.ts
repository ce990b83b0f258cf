import { CommandRegistry } from '@lumino/commands';

import { NbJobIamModel } from '../model';
import {
  actionLabels,
  connectSchedulerHook,
  gapsMessage,
  reportGaps
} from '../schedulerHook';
import { CommandIDs, IReport, SCHEDULER_CREATE_COMMAND } from '../tokens';
import { CONTEXT, fakeServer, reply, report, role } from './fakeServer';
import { MARKED, unmarked } from './markedTrans';

type Shown = {
  message: string;
  actions: { label: string; callback: () => void }[];
};

function setup(check: () => unknown) {
  const { settings, calls } = fakeServer({
    'GET context': () => CONTEXT,
    'POST check': check
  });
  const model = new NbJobIamModel({ serverSettings: settings });
  const commands = new CommandRegistry();
  const executed: string[] = [];
  for (const id of [CommandIDs.fix, CommandIDs.open]) {
    commands.addCommand(id, { execute: () => void executed.push(id) });
  }
  commands.addCommand(SCHEDULER_CREATE_COMMAND, { execute: () => 'form' });
  commands.addCommand('other:command', { execute: () => undefined });
  const shown: Shown[] = [];
  let settle: () => void = () => undefined;
  const done = new Promise<void>(resolve => (settle = resolve));
  const notifier = {
    warning: (message: string, options: any) => {
      shown.push({ message, actions: options.actions });
      settle();
    }
  };
  const hook = connectSchedulerHook({
    commands,
    model,
    ready: model.loadContext(),
    serverSettings: settings,
    notifier
  });
  return { model, commands, calls, shown, executed, done, hook };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}

describe('the scheduler hook', () => {
  it("checks in the background when the scheduler's create command runs, and names the gaps", async () => {
    // Given a server whose check finds gaps
    const { commands, calls, shown, done } = setup(() => report(false));

    // When the scheduler's "Create a notebook job" command runs
    const result = await commands.execute(SCHEDULER_CREATE_COMMAND);
    await done;

    // Then the scheduler's own flow ran, and one check asked with profile and region only
    expect(result).toBe('form');
    const checks = calls.filter(c => c.path === 'check');
    expect(checks).toHaveLength(1);
    expect(checks[0].body).toEqual({ profile: 'sandbox', region: 'us-east-1' });
    // and the notification names the gaps, with the two actions
    expect(shown).toHaveLength(1);
    expect(shown[0].message).toContain('EventBridgeSchedule (events:PutRule)');
    expect(shown[0].message).toContain(
      'TrustRelationship (events.amazonaws.com)'
    );
    expect(shown[0].actions.map(a => a.label)).toEqual([
      'Fix permissions',
      'Show details'
    ]);
  });

  it('"Fix permissions" hands the checked report to the panel and runs the fix command', async () => {
    const { model, commands, shown, executed, done } = setup(() =>
      report(false)
    );
    await commands.execute(SCHEDULER_CREATE_COMMAND);
    await done;

    shown[0].actions[0].callback();
    await flush();

    expect(executed).toEqual([CommandIDs.fix]);
    expect(model.report?.ok).toBe(false);
    expect(model.roleArn).toBe(role('SagemakerJupyterSchedulerRole').arn);
  });

  it('"Show details" opens the panel with the report', async () => {
    const { model, commands, shown, executed, done } = setup(() =>
      report(false)
    );
    await commands.execute(SCHEDULER_CREATE_COMMAND);
    await done;

    shown[0].actions[1].callback();
    await flush();

    expect(executed).toEqual([CommandIDs.open]);
    expect(model.report).not.toBeNull();
  });

  it('stays silent when everything is OK, and for other commands', async () => {
    const { commands, calls, shown } = setup(() => report(true));

    await commands.execute('other:command');
    await flush();
    expect(calls.filter(c => c.path === 'check')).toHaveLength(0);

    await commands.execute(SCHEDULER_CREATE_COMMAND);
    await flush();
    expect(calls.filter(c => c.path === 'check')).toHaveLength(1);
    expect(shown).toEqual([]);
  });

  it('says so when the check itself fails', async () => {
    const { commands, shown, done } = setup(() =>
      reply(502, {
        message: 'AWS refused the call.',
        reason: 'Bad Gateway',
        error_code: 'aws_error',
        details: {}
      })
    );
    await commands.execute(SCHEDULER_CREATE_COMMAND);
    await done;

    expect(shown[0].message).toContain('AWS refused the call.');
    expect(shown[0].actions.map(a => a.label)).toEqual(['Show details']);
  });

  it('stops listening once disposed', async () => {
    const { commands, calls, hook } = setup(() => report(false));
    hook.dispose();
    await commands.execute(SCHEDULER_CREATE_COMMAND);
    await flush();
    expect(calls.filter(c => c.path === 'check')).toHaveLength(0);
  });
});

/** A report whose first statement misses three actions (counted, not listed). */
function reportMissingThree(): IReport {
  const many = report(false);
  many.targets[0].statements[0].missing_actions = [
    'events:PutRule',
    'events:PutTargets',
    'events:DeleteRule'
  ];
  return many;
}

describe('reportGaps', () => {
  it("adds the scheduler's blockers, with their way out", () => {
    const withBlocker: IReport = {
      ...report(true),
      environment: {
        scheduler: {
          installed: true,
          version: '3.2.2',
          works_outside_studio: false,
          blockers: [
            {
              code: 'studio_metadata',
              message: '3.2.2 cannot create jobs outside Studio.',
              way_out: 'Install a version that works outside Studio.'
            }
          ]
        }
      }
    };
    expect(reportGaps(withBlocker)).toEqual([
      '3.2.2 cannot create jobs outside Studio. Install a version that works outside Studio.'
    ]);
    expect(reportGaps(report(true))).toEqual([]);
  });

  it('counts the missing actions when there are more than two', () => {
    const many = reportMissingThree();
    expect(reportGaps(many)[0]).toBe('EventBridgeSchedule (3 actions)');
  });

  it('names at most four gaps, then a count', () => {
    expect(gapsMessage(['a', 'b', 'c', 'd', 'e', 'f'])).toBe(
      'This notebook job may fail: a; b; c; d; and 2 more.'
    );
  });
});

describe('translation', () => {
  it('passes the notification text and its buttons through the translator', () => {
    const many = reportMissingThree();
    expect(reportGaps(many, MARKED)[0]).toBe(
      '⟦EventBridgeSchedule (3 actions)⟧'
    );
    expect(unmarked(gapsMessage(['a'], MARKED))).toBe('');
    expect(gapsMessage(['a', 'b', 'c', 'd', 'e', 'f'], MARKED)).toBe(
      '⟦This notebook job may fail: a; b; c; d; and 2 more.⟧'
    );
    expect(actionLabels(MARKED)).toEqual({
      fix: '⟦Fix permissions⟧',
      details: '⟦Show details⟧'
    });
  });
});
