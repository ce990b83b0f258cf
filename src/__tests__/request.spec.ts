import { ServerConnection } from '@jupyterlab/services';

import { NbJobIamRequestError, requestAPI } from '../request';
import { FakeRequest, settingsWithFetch } from './fakeServer';

type FakeReply = { status: number; statusText?: string; body?: string };

/** Server settings whose fetch answers with a canned reply and records the URL it was given. */
function settingsReplying(reply: FakeReply | Error): {
  settings: ServerConnection.ISettings;
  urls: string[];
} {
  const urls: string[] = [];
  const fetch = async (request: FakeRequest): Promise<Response> => {
    urls.push(request.url);
    if (reply instanceof Error) {
      throw reply;
    }
    return {
      ok: reply.status >= 200 && reply.status < 300,
      status: reply.status,
      statusText: reply.statusText ?? '',
      headers: new Map(),
      text: async () => reply.body ?? ''
    } as unknown as Response;
  };
  const settings = settingsWithFetch(fetch);
  return { settings, urls };
}

async function rejection(
  promise: Promise<unknown>
): Promise<NbJobIamRequestError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(NbJobIamRequestError);
    return error as NbJobIamRequestError;
  }
  throw new Error('expected the request to fail');
}

describe('requestAPI', () => {
  it('returns the parsed JSON and calls the namespaced URL', async () => {
    const { settings, urls } = settingsReplying({
      status: 200,
      body: '{"region":"eu-west-1"}'
    });
    const data = await requestAPI<{ region: string }>('context', {}, settings);
    expect(data.region).toBe('eu-west-1');
    expect(urls[0]).toMatch(
      /^http:\/\/localhost:8888\/base\/nbjob-iam\/context(\?\d+)?$/
    );
  });

  it('carries the server error body and its error_code', async () => {
    const body = {
      message: 'The role `Nope` does not exist in account 123456789012.',
      reason: 'Not Found',
      error_code: 'role_not_found',
      details: { role: 'Nope' }
    };
    const { settings } = settingsReplying({
      status: 404,
      body: JSON.stringify(body)
    });
    const error = await rejection(
      requestAPI('check', { method: 'POST' }, settings)
    );
    expect(error.status).toBe(404);
    expect(error.kind).toBe('api');
    expect(error.errorCode).toBe('role_not_found');
    expect(error.message).toContain('does not exist');
    expect(error.body.details).toEqual({ role: 'Nope' });
  });

  it('says the server extension is missing on a bare 404', async () => {
    const { settings } = settingsReplying({
      status: 404,
      body: '<html>404: Not Found</html>'
    });
    const error = await rejection(requestAPI('context', {}, settings));
    expect(error.kind).toBe('extension-missing');
    expect(error.errorCode).toBe('extension_missing');
    expect(error.message).toContain(
      'jupyter server extension enable jupyter_nbjob_iam'
    );
  });

  it('tells an expired Jupyter session apart from an AWS refusal', async () => {
    const { settings } = settingsReplying({
      status: 403,
      statusText: 'Forbidden',
      body: '{"message": "Forbidden", "reason": null}'
    });
    const error = await rejection(requestAPI('context', {}, settings));
    expect(error.kind).toBe('session');
    expect(error.status).toBe(403);
  });

  it('keeps a 502 from AWS as an API error with the AWS message', async () => {
    const body = {
      message:
        'AWS refused iam:GetRole: you are not allowed to read this role.',
      reason: 'Bad Gateway',
      error_code: 'access_denied',
      details: { aws_error_code: 'AccessDenied' }
    };
    const { settings } = settingsReplying({
      status: 502,
      body: JSON.stringify(body)
    });
    const error = await rejection(
      requestAPI('check', { method: 'POST' }, settings)
    );
    expect(error.kind).toBe('api');
    expect(error.errorCode).toBe('access_denied');
  });

  it('reports an unreachable server as a network error', async () => {
    const { settings } = settingsReplying(new TypeError('Failed to fetch'));
    const error = await rejection(requestAPI('context', {}, settings));
    expect(error.kind).toBe('network');
    expect(error.status).toBe(0);
    expect(error.message).toContain('Cannot reach the Jupyter server');
  });

  it('rejects a success answer that is not JSON', async () => {
    const { settings } = settingsReplying({ status: 200, body: 'not json' });
    const error = await rejection(requestAPI('context', {}, settings));
    expect(error.errorCode).toBe('bad_response');
  });
});
