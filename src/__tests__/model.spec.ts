import { NbJobIamModel } from '../model';
import { NbJobIamRequestError } from '../request';
import { STATE_KEY } from '../tokens';
import {
  CONTEXT,
  IDENTITY,
  fakeServer,
  plan,
  reply,
  report,
  role
} from './fakeServer';

const SCHEDULER_ROLE = role('SagemakerJupyterSchedulerRole');
const OTHER_ROLE = role('lambda-data-export', false, '/');
const CONSOLE_ROLE = role('AmazonSageMaker-ExecutionRole-20240101T000000');

/** A fake IStateDB: a plain map. */
class FakeState {
  readonly values = new Map<string, any>();
  async fetch(id: string) {
    return this.values.get(id);
  }
  async save(id: string, value: any) {
    this.values.set(id, JSON.parse(JSON.stringify(value)));
  }
}

function sandboxRoutes(overrides: { [route: string]: any } = {}) {
  return {
    'GET context': () => CONTEXT,
    'GET identity': () => IDENTITY,
    'GET roles': () => ({
      roles: [OTHER_ROLE, SCHEDULER_ROLE, CONSOLE_ROLE],
      default_role_arn: SCHEDULER_ROLE.arn,
      default_role_source: 'name'
    }),
    'POST check': () => report(false),
    'POST plan': () => plan(),
    'POST apply': () => ({
      plan_id: 'p'.repeat(64),
      status: 'applied',
      backup_id: 'b-1',
      applied: [
        { write_id: 'w1', api_call: 'iam:PutUserPolicy', summary: 'x' }
      ],
      failed: [],
      not_attempted: [],
      verified: true,
      report: report(true)
    }),
    'POST undo': () => ({
      backup_id: 'b-1',
      restored: [{ api_call: 'iam:DeleteUserPolicy', summary: 'x' }],
      report: report(false)
    }),
    ...overrides
  };
}

describe('NbJobIamModel', () => {
  describe('loading', () => {
    it('loads context, identity and roles, trusted roles first, and preselects the server default', async () => {
      // Given a server with three roles, one of them the scheduler's default
      const { settings, calls } = fakeServer(sandboxRoutes());
      const model = new NbJobIamModel({ serverSettings: settings });

      // When the panel starts
      await model.initialize();

      // Then it knows who and where, lists SageMaker-trusting roles first, and selects the default
      expect(model.context?.profiles).toEqual(['sandbox', 'research']);
      expect(model.profile).toBe('sandbox');
      expect(model.region).toBe('us-east-1');
      expect(model.identity?.principal_name).toBe('ada');
      expect(model.roles.map(r => r.name)).toEqual([
        CONSOLE_ROLE.name,
        SCHEDULER_ROLE.name,
        OTHER_ROLE.name
      ]);
      expect(model.roleArn).toBe(SCHEDULER_ROLE.arn);
      expect(model.roleSource).toBe('server');
      expect(model.selectedRole).toBe(model.roles[1]);
      expect(model.activity).toBe('idle');
      const identityCall = calls.find(c => c.path === 'identity')!;
      expect(identityCall.query.get('profile')).toBe('sandbox');
      expect(identityCall.query.get('region')).toBe('us-east-1');
    });

    it('shows progress while loading', async () => {
      const { settings } = fakeServer(sandboxRoutes());
      const model = new NbJobIamModel({ serverSettings: settings });
      const seen = new Set<string>();
      model.changed.connect(() => seen.add(model.activity));

      await model.refresh();

      expect(seen.has('loading')).toBe(true);
      expect(model.busy).toBe(false);
    });
  });

  describe('role preselection', () => {
    async function preselected(options: {
      panelSetting?: string;
      schedulerSetting?: string | null;
    }) {
      const { settings } = fakeServer(sandboxRoutes());
      const model = new NbJobIamModel({ serverSettings: settings });
      model.setSettings({ defaultRoleArn: options.panelSetting ?? '' });
      model.setSchedulerRoleArn(options.schedulerSetting ?? null);
      await model.initialize();
      return model;
    }

    it('prefers the panel setting, matching a role name to its ARN', async () => {
      const model = await preselected({
        panelSetting: CONSOLE_ROLE.name,
        schedulerSetting: OTHER_ROLE.arn
      });
      expect(model.roleArn).toBe(CONSOLE_ROLE.arn);
      expect(model.roleSource).toBe('panel-settings');
    });

    it("then the scheduler's own setting read in the browser", async () => {
      const model = await preselected({ schedulerSetting: OTHER_ROLE.arn });
      expect(model.roleArn).toBe(OTHER_ROLE.arn);
      expect(model.roleSource).toBe('scheduler-settings');
    });

    it("then the server's default role", async () => {
      const model = await preselected({});
      expect(model.roleArn).toBe(SCHEDULER_ROLE.arn);
      expect(model.roleSource).toBe('server');
    });

    it("never overrides the person's own choice", async () => {
      const { settings } = fakeServer(sandboxRoutes());
      const model = new NbJobIamModel({ serverSettings: settings });
      model.roleArn = 'arn:aws:iam::123456789012:role/Mine';
      await model.initialize();
      model.setSettings({ defaultRoleArn: CONSOLE_ROLE.arn });
      expect(model.roleArn).toBe('arn:aws:iam::123456789012:role/Mine');
      expect(model.roleSource).toBe('chosen');
      expect(model.selectedRole).toBeNull();
    });
  });

  describe('check', () => {
    it('sends profile, region, role and KMS key, and stores the report', async () => {
      // Given a loaded panel with a KMS key typed in
      const { settings, calls } = fakeServer(sandboxRoutes());
      const model = new NbJobIamModel({ serverSettings: settings });
      await model.initialize();
      model.kmsKeyArn = ' arn:aws:kms:us-east-1:123456789012:key/abc ';

      // When the person checks
      const seen = new Set<string>();
      model.changed.connect(() => seen.add(model.activity));
      const result = await model.check();

      // Then the request carries the choices and the report is kept
      const call = calls.find(c => c.path === 'check')!;
      expect(call.method).toBe('POST');
      expect(call.body).toEqual({
        profile: 'sandbox',
        region: 'us-east-1',
        role_arn: SCHEDULER_ROLE.arn,
        kms_key_arn: 'arn:aws:kms:us-east-1:123456789012:key/abc'
      });
      expect(result?.ok).toBe(false);
      expect(model.report).toBe(result);
      expect(model.checkedAt).not.toBeNull();
      expect(seen.has('checking')).toBe(true);
      expect(model.error).toBeNull();
    });

    it('maps an expired SSO login to a typed error and raises it once', async () => {
      // Given a server whose check fails because the SSO login expired
      const body = {
        message:
          'Your AWS SSO login has expired. Run `aws sso login --profile sandbox` in a terminal, then try again.',
        reason: 'Bad Gateway',
        error_code: 'sso_login_expired',
        details: { profile: 'sandbox' }
      };
      const { settings } = fakeServer(
        sandboxRoutes({ 'POST check': () => reply(502, body) })
      );
      const model = new NbJobIamModel({ serverSettings: settings });
      await model.initialize();
      const raised: NbJobIamModel.IErrorEvent[] = [];
      model.errorRaised.connect((_, event) => raised.push(event));

      // When the person checks
      const result = await model.check();

      // Then the error is kept with its code, and nothing else changes
      expect(result).toBeNull();
      expect(model.error).toBeInstanceOf(NbJobIamRequestError);
      expect(model.error?.status).toBe(502);
      expect(model.error?.errorCode).toBe('sso_login_expired');
      expect(model.errorActivity).toBe('checking');
      expect(model.report).toBeNull();
      expect(model.activity).toBe('idle');
      expect(raised).toHaveLength(1);
      expect(raised[0].activity).toBe('checking');
    });

    it('says the server extension is missing on a bare 404', async () => {
      const { settings } = fakeServer({});
      const model = new NbJobIamModel({ serverSettings: settings });
      await model.loadContext();
      expect(model.error?.kind).toBe('extension-missing');
    });

    it('clears the error on the next call', async () => {
      let fail = true;
      const { settings } = fakeServer(
        sandboxRoutes({
          'POST check': () =>
            fail
              ? reply(404, {
                  message: 'The role `Nope` does not exist.',
                  reason: 'Not Found',
                  error_code: 'role_not_found',
                  details: {}
                })
              : report(true)
        })
      );
      const model = new NbJobIamModel({ serverSettings: settings });
      model.roleArn = 'Nope';
      await model.check();
      expect(model.error?.errorCode).toBe('role_not_found');

      fail = false;
      await model.check();
      expect(model.error).toBeNull();
      expect(model.report?.ok).toBe(true);
    });
  });

  describe('fix', () => {
    it('plans with the policy name, applies, re-checks and undoes', async () => {
      // Given a checked panel with gaps and a custom inline policy name
      const { settings, calls } = fakeServer(sandboxRoutes());
      const model = new NbJobIamModel({ serverSettings: settings });
      model.setSettings({ inlinePolicyName: 'TeamJobs' });
      await model.initialize();
      await model.check();

      // When the person previews the fix
      const preview = await model.plan();

      // Then the plan request names the policy and the plan carries the hand-off
      expect(calls.find(c => c.path === 'plan')!.body).toMatchObject({
        role_arn: SCHEDULER_ROLE.arn,
        policy_name: 'TeamJobs'
      });
      expect(preview?.writes).toHaveLength(1);
      expect(model.handoffText).toBe('Dear administrator, please add …');

      // When a newer preview replaces the model's plan, and they apply the one they saw
      const seen = { ...preview!, plan_id: 'q'.repeat(64) };
      const applied = await model.apply(seen);

      // Then exactly that plan id is sent
      expect(calls.find(c => c.path === 'apply')!.body).toEqual({
        plan_id: 'q'.repeat(64)
      });
      calls.length = 0;
      await model.plan();
      await model.apply();

      // Then the plan id is sent, the re-check replaces the report and the backup is kept
      expect(calls.find(c => c.path === 'apply')!.body).toEqual({
        plan_id: 'p'.repeat(64)
      });
      expect(applied?.status).toBe('applied');
      expect(model.report?.ok).toBe(true);
      expect(model.backupId).toBe('b-1');
      expect(model.lastPlan).toBeNull();

      // When they undo
      const undone = await model.undo();

      // Then the backup id is sent and the gaps are back
      expect(calls.find(c => c.path === 'undo')!.body).toEqual({
        backup_id: 'b-1'
      });
      expect(undone?.restored).toHaveLength(1);
      expect(model.report?.ok).toBe(false);
      expect(model.backupId).toBeNull();
      expect(model.lastApply).toBeNull();
    });

    it('keeps the plan and its hand-off when AWS refuses the apply', async () => {
      // Given a server that refuses the write
      const denied = {
        message:
          'AWS refused iam:PutUserPolicy: you are not allowed to change your own permissions.',
        reason: 'Bad Gateway',
        error_code: 'access_denied',
        details: { action: 'iam:PutUserPolicy', aws_error_code: 'AccessDenied' }
      };
      const { settings } = fakeServer(
        sandboxRoutes({ 'POST apply': () => reply(502, denied) })
      );
      const model = new NbJobIamModel({ serverSettings: settings });
      await model.initialize();
      await model.plan();

      // When the person applies
      const result = await model.apply();

      // Then the refusal is an access_denied error and the hand-off is still there
      expect(result).toBeNull();
      expect(model.error?.errorCode).toBe('access_denied');
      expect(model.error?.body.details.action).toBe('iam:PutUserPolicy');
      expect(model.lastPlan).not.toBeNull();
      expect(model.handoffText).toContain('administrator');
      expect(model.errorActivity).toBe('applying');
    });

    it('does nothing without a plan or a backup', async () => {
      const { settings, calls } = fakeServer(sandboxRoutes());
      const model = new NbJobIamModel({ serverSettings: settings });
      expect(await model.apply()).toBeNull();
      expect(await model.undo()).toBeNull();
      expect(calls).toHaveLength(0);
    });

    it('drops a plan made for another role', async () => {
      const { settings } = fakeServer(sandboxRoutes());
      const model = new NbJobIamModel({ serverSettings: settings });
      await model.initialize();
      await model.plan();
      model.roleArn = OTHER_ROLE.arn;
      expect(model.lastPlan).toBeNull();
    });
  });

  describe('profile', () => {
    it('reloads everything for another profile', async () => {
      const { settings, calls } = fakeServer(sandboxRoutes());
      const model = new NbJobIamModel({ serverSettings: settings });
      await model.initialize();
      await model.check();
      calls.length = 0;

      await model.selectProfile('research');

      expect(model.profile).toBe('research');
      expect(model.report).toBeNull();
      expect(
        calls.map(c => `${c.path}?${c.query.get('profile')}`).sort()
      ).toEqual(['context?research', 'identity?research', 'roles?research']);
    });

    it('prefers the panel setting over the server default', async () => {
      const { settings } = fakeServer(sandboxRoutes());
      const model = new NbJobIamModel({ serverSettings: settings });
      model.setSettings({
        defaultProfile: 'research',
        defaultRegion: 'eu-west-1'
      });
      await model.initialize();
      expect(model.profile).toBe('research');
      expect(model.region).toBe('eu-west-1');
    });
  });

  describe('state across page reloads', () => {
    it('saves profile, chosen role, KMS key and report, and restores them', async () => {
      // Given a panel that checked a chosen role with a KMS key
      const state = new FakeState();
      const { settings } = fakeServer(sandboxRoutes());
      const first = new NbJobIamModel({ serverSettings: settings, state });
      await first.initialize();
      await first.selectProfile('research');
      first.roleArn = CONSOLE_ROLE.arn;
      first.kmsKeyArn = 'arn:aws:kms:us-east-1:123456789012:key/k';
      await first.check();
      await first.saveState();

      // When the page is reloaded
      const second = new NbJobIamModel({ serverSettings: settings, state });
      await second.restoreState();

      // Then the choices and the last report are back
      const saved = state.values.get(STATE_KEY);
      expect(saved.role_arn).toBe(CONSOLE_ROLE.arn);
      expect(second.profile).toBe('research');
      expect(second.roleArn).toBe(CONSOLE_ROLE.arn);
      expect(second.roleSource).toBe('chosen');
      expect(second.kmsKeyArn).toBe('arn:aws:kms:us-east-1:123456789012:key/k');
      expect(second.report?.targets[0].statements[0].sid).toBe(
        'EventBridgeSchedule'
      );
      expect(second.checkedAt).toBe(first.checkedAt);
    });

    it('does not pin a preselected role, so a new default still applies', async () => {
      const state = new FakeState();
      const { settings } = fakeServer(sandboxRoutes());
      const model = new NbJobIamModel({ serverSettings: settings, state });
      await model.initialize();
      await model.saveState();
      expect(state.values.get(STATE_KEY).role_arn).toBeNull();
    });

    it('survives a broken state database', async () => {
      const state = {
        fetch: async () => {
          throw new Error('corrupt');
        },
        save: async () => {
          throw new Error('full');
        }
      };
      const { settings } = fakeServer(sandboxRoutes());
      const model = new NbJobIamModel({ serverSettings: settings, state });
      const warn = jest
        .spyOn(console, 'warn')
        .mockImplementation(() => undefined);
      await model.initialize();
      await model.saveState();
      warn.mockRestore();
      expect(model.identity?.principal_name).toBe('ada');
    });
  });

  describe('disposal', () => {
    it('disconnects every listener and drops answers still on their way', async () => {
      // Given a model with a listener and a check still running
      let answer: (value: unknown) => void = () => undefined;
      const { settings } = fakeServer({
        ...sandboxRoutes(),
        'POST check': () => new Promise(resolve => (answer = resolve))
      });
      const model = new NbJobIamModel({ serverSettings: settings });
      await model.initialize();
      const heard: string[] = [];
      model.changed.connect(() => heard.push('changed'));
      const running = model.check();
      await new Promise(resolve => setTimeout(resolve, 0));
      heard.length = 0;

      // When it is disposed (twice: the second is a no-op)
      model.dispose();
      model.dispose();
      answer(report(false));

      // Then the late answer changes nothing and nobody hears of it
      expect(model.isDisposed).toBe(true);
      expect(await running).toBeNull();
      expect(heard).toEqual([]);
      expect(model.report).toBeNull();
      expect(await model.check()).toBeNull();
    });
  });

  it('folds the inputs after a check and reopens them on demand', async () => {
    const { settings } = fakeServer(sandboxRoutes());
    const model = new NbJobIamModel({ serverSettings: settings });
    await model.initialize();
    expect(model.inputsOpen).toBe(true);
    await model.check();
    expect(model.inputsOpen).toBe(false);
    model.setInputsOpen(true);
    expect(model.inputsOpen).toBe(true);
  });

  it('builds query strings of the non-empty values only', () => {
    expect(NbJobIamModel.query({ profile: 'a b', region: null })).toBe(
      '?profile=a+b'
    );
    expect(NbJobIamModel.query({ profile: null })).toBe('');
  });
});
