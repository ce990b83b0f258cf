import { ServerConnection } from '@jupyterlab/services';

import { IReport, IRole } from '../tokens';

export interface IFakeCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
}

class FakeHeaders extends Map<string, string> {
  append(k: string, v: string) {
    this.set(k, v);
  }
}

/** What ServerConnection hands to the fake fetch: the URL and the init it was built from. */
export class FakeRequest {
  readonly headers = new FakeHeaders();
  readonly method: string;
  constructor(
    readonly url: string,
    readonly init: RequestInit
  ) {
    this.method = init.method ?? 'GET';
  }
}

/** Server settings at http://localhost:8888/base/ whose requests go to `fetch`. */
export function settingsWithFetch(
  fetch: (request: FakeRequest) => Promise<Response>
): ServerConnection.ISettings {
  return ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/base/',
    fetch: fetch as any,
    Request: FakeRequest as any,
    Headers: FakeHeaders as any
  });
}

export type FakeRoute = (call: IFakeCall) => unknown;

const STATUS = Symbol('status');

/** A reply with an HTTP error status (any other reply is a 200 JSON body). */
export function reply(status: number, body: unknown): unknown {
  return { [STATUS]: status, body };
}

/**
 * Server settings whose fetch answers from `routes` ("GET roles" -> reply) and records every call.
 * A route returning `reply(status, body)` sets the status; anything else is a 200 JSON body; a
 * call without a route is a bare 404 page, as when the server extension is not enabled.
 */
export function fakeServer(routes: { [route: string]: FakeRoute }): {
  settings: ServerConnection.ISettings;
  calls: IFakeCall[];
} {
  const calls: IFakeCall[] = [];
  const fetch = async (request: FakeRequest): Promise<Response> => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/^.*\/nbjob-iam\//, '');
    const body =
      typeof request.init.body === 'string'
        ? JSON.parse(request.init.body)
        : undefined;
    const call = {
      method: request.method,
      path,
      query: url.searchParams,
      body
    };
    calls.push(call);
    const route = routes[`${call.method} ${path}`];
    let status = 404;
    let text = '<html><body>404: Not Found</body></html>';
    if (route) {
      const answer = (await route(call)) as any;
      const tagged = answer && typeof answer === 'object' && STATUS in answer;
      status = tagged ? answer[STATUS] : 200;
      text = JSON.stringify(tagged ? answer.body : answer);
    }
    return {
      ok: status >= 200 && status < 300,
      status,
      statusText: '',
      headers: new Map(),
      text: async () => text
    } as unknown as Response;
  };
  const settings = settingsWithFetch(fetch);
  return { settings, calls };
}

export const ACCOUNT = '123456789012';

export function role(
  name: string,
  trustsSageMaker = true,
  path = '/service-role/'
): IRole {
  return {
    arn: `arn:aws:iam::${ACCOUNT}:role${path}${name}`,
    name,
    path,
    trusts_sagemaker: trustsSageMaker,
    trusts_events: false,
    editable: true,
    not_editable_reason: null
  };
}

export const CONTEXT = {
  profiles: ['sandbox', 'research'],
  default_profile: 'sandbox',
  profile: 'sandbox',
  region: 'us-east-1',
  region_source: 'AWS_REGION',
  warnings: [],
  scheduler: { role_arn: null },
  settings: { inline_policy_name: 'SageMakerNotebookJobs' },
  version: '0.1.0'
};

export const IDENTITY = {
  arn: `arn:aws:iam::${ACCOUNT}:user/notebook-users/ada`,
  kind: 'user',
  account: ACCOUNT,
  principal_arn: `arn:aws:iam::${ACCOUNT}:user/notebook-users/ada`,
  principal_name: 'ada',
  editable: true,
  not_editable_reason: null
};

export function report(ok: boolean): IReport {
  return {
    ok,
    engine: 'local',
    account: ACCOUNT,
    region: 'us-east-1',
    profile: 'sandbox',
    identity: {
      arn: IDENTITY.arn,
      kind: 'user',
      principal_arn: IDENTITY.arn,
      editable: true
    },
    role: (({ path, ...rest }) => rest)(role('SagemakerJupyterSchedulerRole')),
    targets: [
      {
        target: 'identity',
        statements: [
          {
            sid: 'EventBridgeSchedule',
            status: ok ? 'ok' : 'missing',
            detail: ok ? 'Allowed.' : 'No policy allows these actions.',
            missing_actions: ok ? [] : ['events:PutRule']
          }
        ]
      },
      {
        target: 'trust',
        statements: [
          {
            sid: 'TrustRelationship',
            status: ok ? 'ok' : 'missing',
            detail: 'Trust.',
            missing_services: ok ? [] : ['events.amazonaws.com']
          }
        ]
      }
    ]
  };
}

export function plan(blocked = false) {
  return {
    plan_id: 'p'.repeat(64),
    created_at: '2026-01-01T00:00:00Z',
    profile: 'sandbox',
    region: 'us-east-1',
    account: ACCOUNT,
    role_arn: role('SagemakerJupyterSchedulerRole').arn,
    kms_key_arn: null,
    policy_name: 'TeamJobs',
    nothing_to_do: false,
    writes: [
      {
        write_id: 'w1',
        api_call: 'iam:PutUserPolicy',
        target: 'identity',
        principal: { type: 'user', name: 'ada', arn: IDENTITY.arn },
        policy_name: 'TeamJobs',
        policy_arn: null,
        adds_sids: ['EventBridgeSchedule'],
        adds_services: [],
        before: null,
        after: { Version: '2012-10-17', Statement: [] },
        summary:
          'Create the inline policy TeamJobs on user ada with 1 statement.'
      }
    ],
    skipped: [],
    blocked: blocked ? [{ target: 'identity', reason: 'SSO role' }] : [],
    handoff: { summary: 'Please add', text: 'Dear administrator, please add …' }
  };
}

/** The panel's action callbacks, doing nothing (for rendering the panel in tests). */
export const NO_ACTIONS = {
  onCheck: () => undefined,
  onFix: () => undefined,
  onCopyForAdministrator: () => undefined,
  onUndo: () => undefined
};
