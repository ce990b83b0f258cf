import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { ErrorCode } from './errorCodes';
import { IErrorBody } from './tokens';

/** The URL namespace of the server extension. */
export const NAMESPACE = 'nbjob-iam';

/**
 * An error from the extension's REST API, carrying the server's JSON body.
 *
 * `kind` lets the panel tell apart the cases a person must act on differently:
 * the server extension is not installed (404 on our namespace without our JSON),
 * the Jupyter session expired (401/403), the server is unreachable, or an API error.
 */
export class NbJobIamRequestError extends Error {
  readonly status: number;
  readonly body: IErrorBody;
  readonly kind: 'extension-missing' | 'session' | 'network' | 'api';

  constructor(
    status: number,
    body: IErrorBody,
    kind: NbJobIamRequestError['kind']
  ) {
    super(body.message);
    this.name = 'NbJobIamRequestError';
    this.status = status;
    this.body = body;
    this.kind = kind;
  }

  get errorCode(): ErrorCode {
    return this.body.error_code;
  }
}

function isErrorBody(value: unknown): value is IErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as IErrorBody).message === 'string' &&
    typeof (value as IErrorBody).error_code === 'string'
  );
}

/**
 * Call the extension's REST API and return its JSON.
 *
 * @param endPoint path below `/nbjob-iam/`, with its query string if any
 * @param init fetch options (method, body)
 * @param settings the server connection settings (tests pass their own `fetch`)
 */
export async function requestAPI<T>(
  endPoint = '',
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, NAMESPACE, endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new NbJobIamRequestError(
      0,
      {
        message:
          'Cannot reach the Jupyter server. Is it still running? ' +
          String((error as Error)?.message ?? error),
        reason: 'Network Error',
        error_code: 'network',
        details: { cause: String((error as Error)?.message ?? error) }
      },
      'network'
    );
  }

  const text = await response.text();
  let data: unknown = undefined;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (response.ok) {
    if (data === undefined && text.length > 0) {
      throw new NbJobIamRequestError(
        response.status,
        {
          message: 'The server answered with something that is not JSON.',
          reason: 'Bad Response',
          error_code: 'bad_response',
          details: {}
        },
        'api'
      );
    }
    return data as T;
  }

  if (isErrorBody(data)) {
    return Promise.reject(
      new NbJobIamRequestError(response.status, data, 'api')
    );
  }
  if (response.status === 404) {
    throw new NbJobIamRequestError(
      404,
      {
        message:
          'The jupyter_nbjob_iam server extension is not enabled. Run ' +
          '`jupyter server extension enable jupyter_nbjob_iam` and restart JupyterLab.',
        reason: 'Not Found',
        error_code: 'extension_missing',
        details: {}
      },
      'extension-missing'
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new NbJobIamRequestError(
      response.status,
      {
        message:
          'Your Jupyter session is not authorized (it may have expired). Reload the page and log in again.',
        reason: response.statusText || 'Forbidden',
        error_code: 'jupyter_auth',
        details: {}
      },
      'session'
    );
  }
  const message =
    (data as { message?: string } | undefined)?.message ||
    `The server answered ${response.status} ${response.statusText}.`;
  throw new NbJobIamRequestError(
    response.status,
    {
      message,
      reason: response.statusText,
      error_code: `http_${response.status}`,
      details: {}
    },
    'api'
  );
}
