import * as React from 'react';

import { NbJobIamModel } from '../model';
import { TextField } from './TextField';

/** The optional KMS key the jobs encrypt with: its key policy access is checked too. */
export function KmsField(props: { model: NbJobIamModel }): JSX.Element {
  const { model } = props;
  return (
    <div className="jp-NbJobIam-card">
      <TextField
        label="KMS key ARN"
        hint="(optional)"
        placeholder="arn:aws:kms:region:account:key/…"
        value={model.kmsKeyArn}
        onChange={value => {
          model.kmsKeyArn = value;
        }}
      />
    </div>
  );
}
