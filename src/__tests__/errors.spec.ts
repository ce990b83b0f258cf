import { ErrorCode } from '../errorCodes';
import { describeError, loginCommand } from '../errors';
import { NbJobIamRequestError } from '../request';

function apiError(
  error_code: ErrorCode,
  message: string,
  details: { [key: string]: unknown } = {},
  status = 502
): NbJobIamRequestError {
  return new NbJobIamRequestError(
    status,
    { message, reason: 'Bad Gateway', error_code, details },
    'api'
  );
}

describe('describeError', () => {
  it('gives the login command of an expired SSO login', () => {
    const advice = describeError(
      apiError(
        'sso_login_expired',
        'Your AWS SSO login has expired. Run `aws sso login --profile dev` in a terminal, then try again.'
      )
    );
    expect(advice.title).toBe('Your AWS login has expired');
    expect(advice.command).toBe('aws sso login --profile dev');
    expect(advice.needsAdministrator).toBe(false);
  });

  it('falls back to the profile when the message names no command', () => {
    const advice = describeError(
      apiError('login_expired', 'The token has expired.', { profile: 'ml' })
    );
    expect(advice.command).toBe('aws sso login --profile ml');
  });

  it('names the denied action and asks for an administrator', () => {
    const advice = describeError(
      apiError('access_denied', 'AWS refused iam:PutUserPolicy.', {
        action: 'iam:PutUserPolicy',
        aws_error_code: 'AccessDenied'
      })
    );
    expect(advice.title).toBe('AWS refused: access denied');
    expect(advice.deniedAction).toBe('iam:PutUserPolicy');
    expect(advice.needsAdministrator).toBe(true);
  });

  it('uses aws_action when action is absent', () => {
    const advice = describeError(
      apiError('access_denied', 'No.', { aws_action: 'iam:GetRole' })
    );
    expect(advice.deniedAction).toBe('iam:GetRole');
  });

  it.each([
    ['credentials', 'No AWS credentials found'],
    ['role_not_found', 'Unknown execution role'],
    ['profile_not_found', 'Unknown AWS profile'],
    ['endpoint_unreachable', 'AWS cannot be reached'],
    ['plan_conflict', 'The permissions changed since the preview'],
    ['backup_mismatch', 'A saved plan or backup cannot be trusted'],
    ['state_dir_unsafe', 'The folder for plans and backups cannot be used'],
    ['already_undone', 'This fix was undone already'],
    ['deadline_exceeded', 'AWS took too long to answer'],
    ['body_too_large', 'The request was too large'],
    ['internal_error', 'Something went wrong']
  ] as [ErrorCode, string][])('titles %s as "%s"', (code, title) => {
    expect(describeError(apiError(code, 'Because.')).title).toBe(title);
  });

  it('tells the Jupyter side apart from AWS', () => {
    const body = {
      message: 'm',
      reason: 'r',
      error_code: 'client_error' as const,
      details: {}
    };
    expect(
      describeError(new NbJobIamRequestError(404, body, 'extension-missing'))
        .title
    ).toBe('The server extension is missing');
    expect(
      describeError(new NbJobIamRequestError(403, body, 'session')).title
    ).toBe('Your Jupyter session has expired');
    expect(
      describeError(new NbJobIamRequestError(0, body, 'network')).title
    ).toBe('The Jupyter server cannot be reached');
  });
});

describe('loginCommand', () => {
  it('finds a bare command in the message', () => {
    expect(loginCommand('Please run aws sso login --profile x-1 now.')).toBe(
      'aws sso login --profile x-1'
    );
  });

  it('returns null with nothing to go on', () => {
    expect(loginCommand('Expired.')).toBeNull();
  });
});
