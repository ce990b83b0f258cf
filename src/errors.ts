import { TranslationBundle } from '@jupyterlab/translation';

import { ENGLISH } from './i18n';
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

/**
 * Turn any error of the REST API into advice a person who is not an IAM expert can act on. Titles and
 * the panel's own messages are translated; the server's message stays as it came (English).
 */
export function describeError(
  error: NbJobIamRequestError,
  profile?: string | null,
  trans: TranslationBundle = ENGLISH
): IErrorAdvice {
  const advice: IErrorAdvice = {
    title: trans.__('Something went wrong'),
    message: error.message,
    command: null,
    deniedAction: null,
    needsAdministrator: false
  };
  if (error.kind === 'extension-missing') {
    return {
      ...advice,
      title: trans.__('The server extension is missing'),
      message: trans.__(
        'The jupyter_nbjob_iam server extension is not enabled. Run `jupyter server extension enable jupyter_nbjob_iam` and restart JupyterLab.'
      )
    };
  }
  if (error.kind === 'session') {
    return {
      ...advice,
      title: trans.__('Your Jupyter session has expired'),
      message: trans.__(
        'Your Jupyter session is not authorized (it may have expired). Reload the page and log in again.'
      )
    };
  }
  if (error.kind === 'network') {
    return {
      ...advice,
      title: trans.__('The Jupyter server cannot be reached'),
      message: trans
        .__(
          'Cannot reach the Jupyter server. Is it still running? %1',
          String(error.body.details?.cause ?? '')
        )
        .trim()
    };
  }
  if (error.errorCode === 'bad_response') {
    return {
      ...advice,
      message: trans.__('The server answered with something that is not JSON.')
    };
  }
  switch (error.errorCode) {
    case 'sso_login_expired':
    case 'login_expired':
      return {
        ...advice,
        title: trans.__('Your AWS login has expired'),
        command: loginCommand(
          error.message,
          detail(error, 'profile') ?? profile
        )
      };
    case 'credentials':
      return {
        ...advice,
        title: trans.__('No AWS credentials found'),
        command: loginCommand(error.message, null)
      };
    case 'access_denied': {
      const action =
        detail(error, 'denied_action') ??
        detail(error, 'action') ??
        detail(error, 'aws_action');
      return {
        ...advice,
        title: trans.__('AWS refused: access denied'),
        deniedAction: action,
        needsAdministrator: true
      };
    }
    case 'role_not_found':
      return { ...advice, title: trans.__('Unknown execution role') };
    case 'profile_not_found':
      return { ...advice, title: trans.__('Unknown AWS profile') };
    case 'backup_mismatch':
    case 'backup_invalid':
    case 'plan_invalid':
    case 'journal_invalid':
      return {
        ...advice,
        title: trans.__('A saved plan or backup cannot be trusted')
      };
    case 'state_dir_unsafe':
    case 'state_dir_unusable':
      return {
        ...advice,
        title: trans.__('The folder for plans and backups cannot be used')
      };
    case 'already_undone':
      return { ...advice, title: trans.__('This fix was undone already') };
    case 'deadline_exceeded':
      return { ...advice, title: trans.__('AWS took too long to answer') };
    case 'body_too_large':
      return { ...advice, title: trans.__('The request was too large') };
    case 'endpoint_unreachable':
      return { ...advice, title: trans.__('AWS cannot be reached') };
    case 'plan_conflict':
      return {
        ...advice,
        title: trans.__('The permissions changed since the preview'),
        message: `${error.message} ${trans.__('Check again, then fix.')}`
      };
    default:
      return advice;
  }
}
