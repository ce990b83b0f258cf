import {
  Button,
  caretDownIcon,
  caretRightIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { useTrans } from '../i18n';
import { NbJobIamModel } from '../model';
import { shortRoleArn } from '../roles';

export const INPUTS_ID = 'nbjob-iam-inputs';

/** The inputs of the check in one line, "identity · role · region · keys": a toggle that reopens them. */
export function InputsHeader(props: { model: NbJobIamModel }): JSX.Element {
  const trans = useTrans();
  const { model } = props;
  const open = model.inputsOpen;
  const request = model.checkRequest() as { [key: string]: unknown };
  const keys = new Set(
    ['kms_key_arn', 'output_kms_key', 'volume_kms_key']
      .map(name => request[name])
      .filter(value => typeof value === 'string' && value)
  ).size;
  const role = model.roleArn;
  const parts = [
    model.identity?.principal_name ??
      model.identity?.arn ??
      trans.__('unknown identity'),
    role
      ? shortRoleArn(role).replace(/^role\/(.*\/)?/, '')
      : trans.__('no role'),
    model.region ?? trans.__('no region'),
    keys === 0
      ? trans.__('no KMS key')
      : trans._n('%1 KMS key', '%1 KMS keys', keys)
  ];
  const Caret = open ? caretDownIcon : caretRightIcon;
  return (
    <Button
      minimal
      className="jp-NbJobIam-inputsHeader"
      aria-expanded={open}
      aria-controls={INPUTS_ID}
      title={open ? trans.__('Hide the inputs') : trans.__('Change the inputs')}
      onClick={() => model.setInputsOpen(!open)}
      data-testid="nbjob-iam-inputs-header"
    >
      <Caret.react tag="span" className="jp-NbJobIam-caret" />
      <span className="jp-NbJobIam-inputsLine">{parts.join(' · ')}</span>
    </Button>
  );
}
