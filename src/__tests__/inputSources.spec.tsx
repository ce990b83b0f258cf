import * as React from 'react';
import { act } from 'react';
import { createRoot } from 'react-dom/client';

import { InputSources } from '../components/InputSources';
import { KmsField, kmsPlaceholder } from '../components/KmsField';
import { TransContext } from '../i18n';
import { NbJobIamModel } from '../model';
import { IReport } from '../tokens';
import { report } from './fakeServer';
import { MARKED, untranslated } from './markedTrans';

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

async function render(element: JSX.Element): Promise<HTMLElement> {
  const host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => createRoot(host).render(element));
  return host;
}

const CHECKED: IReport = {
  ...report(false),
  inputs: {
    role: {
      value: 'arn:aws:iam::123456789012:role/Saved',
      source: 'scheduler_settings'
    },
    s3_input: { value: 's3://team-notebooks/in', source: 'scheduler_settings' },
    s3_output: {
      value: 's3://sagemaker-automated-execution-123456789012-us-east-1/',
      source: 'default'
    },
    output_kms_key: {
      value: 'alias/jobs',
      source: 'typed',
      resolved_arn: null,
      error: 'kms:DescribeKey was refused: alias/jobs could not be resolved.'
    },
    volume_kms_key: {
      value: null,
      source: 'none',
      resolved_arn: null,
      error: null
    }
  },
  buckets: [{ bucket: 'team-notebooks', prefix: 'in', used_for: ['input'] }],
  environment: {
    scheduler: {
      installed: true,
      version: '3.2.2',
      works_outside_studio: false,
      blockers: [
        {
          code: 'studio_metadata',
          message: 'Scheduler 3.2.2 cannot create jobs outside Studio.',
          way_out: 'Install a release that works outside Studio.'
        }
      ]
    }
  }
};

describe('InputSources', () => {
  it('says where each input came from, the buckets and the blockers', async () => {
    const host = await render(<InputSources report={CHECKED} />);
    const text = host.textContent ?? '';
    expect(text).toContain(
      "arn:aws:iam::123456789012:role/Saved (the scheduler's saved settings)"
    );
    expect(text).toContain("(the scheduler's default)");
    expect(text).toContain('alias/jobs (typed here)');
    expect(text).toContain('could not be resolved');
    expect(text).not.toContain('Volume KMS key');
    expect(text).toContain('team-notebooks/in (input)');
    expect(text).toContain('Way out: Install a release');
  });

  it('renders nothing for a report without inputs (an older server)', async () => {
    const host = await render(<InputSources report={report(false)} />);
    expect(host.textContent).toBe('');
  });
});

describe('KmsField', () => {
  it('offers the output and the volume key, showing saved keys as placeholders', async () => {
    const model = new NbJobIamModel();
    model.setSchedulerSettings({ sm_volume_kms_key: 'alias/volume' });
    const host = await render(<KmsField model={model} />);
    const output = host.querySelector<HTMLInputElement>(
      'input[aria-label="Output KMS key"]'
    )!;
    const volume = host.querySelector<HTMLInputElement>(
      'input[aria-label="Volume KMS key"]'
    )!;
    expect(output.placeholder).toBe(kmsPlaceholder(null));
    expect(volume.placeholder).toBe(
      "From the scheduler's settings: alias/volume"
    );
  });
});

describe('translation', () => {
  it('passes every label, hint, placeholder and note of the inputs through the translator', async () => {
    // Given a translator that marks every string it translates
    const model = new NbJobIamModel();
    model.setSchedulerSettings({ sm_volume_kms_key: 'alias/volume' });
    model.kmsKeyArn = 'alias/typed';

    // When the KMS field and the checked inputs render with it
    const host = await render(
      <TransContext.Provider value={MARKED}>
        <KmsField model={model} />
        <InputSources report={CHECKED} />
      </TransContext.Provider>
    );

    // Then nothing but the values and the server's own prose is left unmarked
    const inputs = CHECKED.inputs!;
    const blocker = CHECKED.environment!.scheduler.blockers[0];
    const data = [
      inputs.role.value!,
      inputs.s3_input.value!,
      inputs.s3_output.value!,
      inputs.output_kms_key.value!,
      inputs.output_kms_key.error!,
      blocker.message,
      blocker.way_out
    ];
    expect(untranslated(host, data)).toEqual([]);
    // and the markers reach the accessible names and the placeholders too
    expect(
      host.querySelector('input[aria-label="⟦Output KMS key⟧"]')
    ).not.toBeNull();
    expect(host.textContent).toContain('⟦typed here⟧');
    expect(host.textContent).toContain('⟦Way out:⟧');
    expect(host.innerHTML).toContain(
      "⟦From the scheduler's settings: alias/volume⟧"
    );
  });

  it('notices a string that skipped the translator', () => {
    const host = document.createElement('div');
    host.innerHTML =
      '<p>⟦Checked with⟧ <span aria-label="Volume KMS key">1</span></p>';
    expect(untranslated(host, [])).toEqual(['Volume KMS key']);
    host.innerHTML = '<p>⟦Checked with⟧ and more</p>';
    expect(untranslated(host, [])).toEqual(['⟦Checked with⟧ and more']);
  });
});
