import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { describeError } from '../errors';
import { useTrans } from '../i18n';
import { NbJobIamModel } from '../model';

/** The last error in plain words, what to do about it, and the hand-off when an admin must act. */
export function ErrorBanner(props: {
  model: NbJobIamModel;
  onCopyForAdministrator: () => void;
}): JSX.Element | null {
  const trans = useTrans();
  const { model } = props;
  const error = model.error;
  if (!error) {
    return null;
  }
  const advice = describeError(error, model.profile, trans);
  return (
    <div className="jp-NbJobIam-error" role="alert">
      <div className="jp-NbJobIam-error-title">
        <strong>{advice.title}</strong>
        <Button minimal small onClick={() => model.dismissError()}>
          {trans.__('Dismiss')}
        </Button>
      </div>
      <p>{advice.message}</p>
      {advice.deniedAction && (
        <p>
          {trans.__('Denied action:')} <code>{advice.deniedAction}</code>
        </p>
      )}
      {advice.command && (
        <p>
          {trans.__('Run this in a terminal, then check again:')}
          <code className="jp-NbJobIam-command">{advice.command}</code>
        </p>
      )}
      {advice.needsAdministrator && (
        <>
          <p>
            {trans.__(
              'Your AWS user cannot make this change itself. Send the exact request to an administrator:'
            )}
          </p>
          <Button
            className="jp-NbJobIam-button jp-mod-accept"
            onClick={props.onCopyForAdministrator}
          >
            {trans.__('Copy for administrator')}
          </Button>
        </>
      )}
    </div>
  );
}
