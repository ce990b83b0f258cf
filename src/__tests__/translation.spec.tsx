import { act, render } from '@testing-library/react';
import * as React from 'react';

import { TransContext } from '../i18n';
import { NbJobIamModel } from '../model';
import { PanelContent } from '../widgets/panel';
import { IReport } from '../tokens';
import {
  ACCOUNT,
  CONTEXT,
  IDENTITY,
  fakeServer,
  NO_ACTIONS,
  report,
  role
} from './fakeServer';
import { MARKED, untranslated } from './markedTrans';

const ROLES = [role('team-a'), role('team-b', false)];

const BUCKET = 'team-notebooks';
const CHECKED: IReport = {
  ...report(false),
  inputs: {
    role: { value: role('team-a').arn, source: 'typed' },
    s3_input: { value: `s3://${BUCKET}/in`, source: 'scheduler_settings' },
    s3_output: { value: `s3://${BUCKET}/out`, source: 'default' },
    output_kms_key: {
      value: 'alias/jobs',
      source: 'typed',
      resolved_arn: null,
      error: null
    },
    volume_kms_key: {
      value: null,
      source: 'none',
      resolved_arn: null,
      error: null
    }
  },
  buckets: [{ bucket: BUCKET, prefix: 'in', used_for: ['input'] }]
};

/** What the fake server says and the panel shows as it came: names, ARNs, ids, server prose. */
const DATA = [
  `arn:aws:iam::${ACCOUNT}:`,
  // the role field's example, the same in every language
  'arn:aws:iam::123456789012:role/…',
  'user/notebook-users/ada',
  'role/service-role/SagemakerJupyterSchedulerRole',
  ...CONTEXT.profiles,
  CONTEXT.region,
  CONTEXT.region_source,
  IDENTITY.principal_name,
  ...ROLES.flatMap(r => [r.arn, r.name]),
  ...Object.values(CHECKED.inputs!).flatMap(input =>
    input.value ? [input.value] : []
  ),
  '/service-role/',
  BUCKET,
  'input',
  ...report(false).targets.flatMap(t =>
    t.statements.flatMap(s => [s.sid, s.detail, ...(s.missing_actions ?? [])])
  )
];

describe('the panel under a translator', () => {
  it('shows no text, accessible name or placeholder that skipped the translator', async () => {
    // Given a translator that marks every string it translates, and a panel before its check
    const { settings } = fakeServer({
      'GET context': () => CONTEXT,
      'GET identity': () => IDENTITY,
      'GET roles': () => ({
        roles: ROLES,
        default_role_arn: ROLES[0].arn,
        default_role_source: 'name'
      }),
      'POST check': () => CHECKED
    });
    const model = new NbJobIamModel({ serverSettings: settings });
    await model.initialize();
    const panel = () => (
      <TransContext.Provider value={MARKED}>
        <PanelContent model={model} {...NO_ACTIONS} />
      </TransContext.Provider>
    );
    const view = render(panel());

    // Then the inputs, the KMS field and the buttons are all marked
    expect(untranslated(view.container, DATA)).toEqual([]);
    expect(view.container.textContent).toContain('⟦Output KMS key⟧');

    // When it checks, and the folded inputs reopen
    await act(async () => {
      await model.check();
    });
    view.rerender(panel());
    expect(untranslated(view.container, DATA)).toEqual([]);
    act(() => model.setInputsOpen(true));
    view.rerender(panel());

    // Then the verdict, the statements and the inputs the check used are marked too
    expect(untranslated(view.container, DATA)).toEqual([]);
    expect(view.container.textContent).toContain('⟦Checked with⟧');
  });
});
