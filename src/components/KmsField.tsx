import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ENGLISH, useTrans } from '../i18n';
import { NbJobIamModel } from '../model';
import { TextField } from './TextField';

/** The placeholder: what the check uses when the field stays empty. */
export function kmsPlaceholder(
  saved: string | null,
  trans: TranslationBundle = ENGLISH
): string {
  return saved
    ? trans.__("From the scheduler's settings: %1", saved)
    : trans.__('key ARN, key id, alias/name or alias ARN');
}

/**
 * The scheduler's two optional KMS keys: one encrypts the job's output in S3, the other the
 * training instance's volume. Empty fields mean the keys saved in the scheduler's settings, if any.
 */
export function KmsField(props: { model: NbJobIamModel }): JSX.Element {
  const trans = useTrans();
  const { model } = props;
  const saved = model.schedulerSettings;
  return (
    <div className="jp-NbJobIam-card">
      <TextField
        label={trans.__('Output KMS key')}
        hint={trans.__('(optional)')}
        placeholder={kmsPlaceholder(saved.sm_output_kms_key, trans)}
        value={model.kmsKeyArn}
        onChange={value => {
          model.kmsKeyArn = value;
        }}
      />
      <TextField
        label={trans.__('Volume KMS key')}
        hint={trans.__('(optional)')}
        placeholder={kmsPlaceholder(saved.sm_volume_kms_key, trans)}
        value={model.volumeKmsKey}
        onChange={value => {
          model.volumeKmsKey = value;
        }}
      />
    </div>
  );
}
