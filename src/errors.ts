import { NbJobIamRequestError } from './request';

/** An error said in plain words: a title, what happened, and what to do about it. */
export interface IErrorAdvice {
  title: string;
  message: string;
  /** A shell command that fixes it (e.g. `aws sso login --profile dev`), when there is one. */
  command: string | null;
  /** The AWS action that was refused, for AccessDenied. */
  deniedAction: string | null;
  /** True when an administrator must act: offer the hand-off prominently. */
  needsAdministrator: boolean;
}

const LOGIN_COMMAND = /aws\s+(?:sso\s+)?login(?:\s+--profile\s+[\w.@+=,-]+)?/;

/** The command the server's message names, e.g. `aws sso login --profile dev`. */
export function loginCommand(
  message: string,
  profile?: string | null
): string | null {
  const quoted = /`(aws\s+(?:sso\s+)?login[^`]*)`/.exec(message);
  if (quoted) {
    return quoted[1].trim();
  }
  const bare = LOGIN_COMMAND.exec(message);
  if (bare) {
    return bare[0];
  }
  return profile ? `aws sso login --profile ${profile}` : null;
}

function detail(error: NbJobIamRequestError, key: string): string | null {
  const value = error.body.details?.[key];
  return typeof value === 'string' && value ? value : null;
}

/** Turn any error of the REST API into advice a person who is not an IAM expert can act on. */
export function describeError(
  error: NbJobIamRequestError,
  profile?: string | null
): IErrorAdvice {
  const advice: IErrorAdvice = {
    title: 'Something went wrong',
    message: error.message,
    command: null,
    deniedAction: null,
    needsAdministrator: false
  };
  if (error.kind === 'extension-missing') {
    return { ...advice, title: 'The server extension is missing' };
  }
  if (error.kind === 'session') {
    return { ...advice, title: 'Your Jupyter session has expired' };
  }
  if (error.kind === 'network') {
    return { ...advice, title: 'The Jupyter server cannot be reached' };
  }
  switch (error.errorCode) {
    case 'sso_login_expired':
    case 'login_expired':
      return {
        ...advice,
        title: 'Your AWS login has expired',
        command: loginCommand(
          error.message,
          detail(error, 'profile') ?? profile
        )
      };
    case 'credentials':
      return {
        ...advice,
        title: 'No AWS credentials found',
        command: loginCommand(error.message, null)
      };
    case 'access_denied': {
      const action = detail(error, 'action') ?? detail(error, 'aws_action');
      return {
        ...advice,
        title: 'AWS refused: access denied',
        deniedAction: action,
        needsAdministrator: true
      };
    }
    case 'role_not_found':
      return { ...advice, title: 'Unknown execution role' };
    case 'profile_not_found':
      return { ...advice, title: 'Unknown AWS profile' };
    case 'endpoint_unreachable':
      return { ...advice, title: 'AWS cannot be reached' };
    case 'plan_conflict':
      return {
        ...advice,
        title: 'The permissions changed since the preview',
        message: `${error.message} Check again, then fix.`
      };
    default:
      return advice;
  }
}
