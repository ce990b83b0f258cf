import * as React from 'react';

import { describeError } from '../errors';
import { NbJobIamModel } from '../model';

/** The last error in plain words, what to do about it, and the hand-off when an admin must act. */
export function ErrorBanner(props: {
  model: NbJobIamModel;
  onCopyForAdministrator: () => void;
}): JSX.Element | null {
  const { model } = props;
  const error = model.error;
  if (!error) {
    return null;
  }
  const advice = describeError(error, model.profile);
  return (
    <div className="jp-NbJobIam-error" role="alert">
      <div className="jp-NbJobIam-error-title">
        <strong>{advice.title}</strong>
        <button
          type="button"
          className="jp-NbJobIam-linkButton"
          onClick={() => model.dismissError()}
        >
          Dismiss
        </button>
      </div>
      <p>{advice.message}</p>
      {advice.deniedAction && (
        <p>
          Denied action: <code>{advice.deniedAction}</code>
        </p>
      )}
      {advice.command && (
        <p>
          Run this in a terminal, then check again:
          <code className="jp-NbJobIam-command">{advice.command}</code>
        </p>
      )}
      {advice.needsAdministrator && (
        <>
          <p>
            Your AWS user cannot make this change itself. Send the exact request
            to an administrator:
          </p>
          <button
            type="button"
            className="jp-NbJobIam-button jp-mod-accept"
            onClick={props.onCopyForAdministrator}
          >
            Copy for administrator
          </button>
        </>
      )}
    </div>
  );
}
