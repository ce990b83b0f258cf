import * as React from 'react';

import { NbJobIamModel } from '../model';
import { TextField } from './TextField';

const KEY_FORMS = 'key ARN, key id, alias/name or alias ARN';

/** The placeholder: what the check uses when the field stays empty. */
export function kmsPlaceholder(saved: string | null): string {
  return saved ? `From the scheduler's settings: ${saved}` : KEY_FORMS;
}

/**
 * The scheduler's two optional KMS keys: one encrypts the job's output in S3, the other the
 * training instance's volume. Empty fields mean the keys saved in the scheduler's settings, if any.
 */
export function KmsField(props: { model: NbJobIamModel }): JSX.Element {
  const { model } = props;
  const saved = model.schedulerSettings;
  return (
    <div className="jp-NbJobIam-card">
      <TextField
        label="Output KMS key"
        hint="(optional)"
        placeholder={kmsPlaceholder(saved.sm_output_kms_key)}
        value={model.kmsKeyArn}
        onChange={value => {
          model.kmsKeyArn = value;
        }}
      />
      <TextField
        label="Volume KMS key"
        hint="(optional)"
        placeholder={kmsPlaceholder(saved.sm_volume_kms_key)}
        value={model.volumeKmsKey}
        onChange={value => {
          model.volumeKmsKey = value;
        }}
      />
    </div>
  );
}
