import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { Signal } from '@lumino/signaling';

import { NbJobIamModel } from '../model';
import { connectSettings, readSchedulerSettings } from '../settings';
import { PLUGIN_ID, SCHEDULER_SETTINGS_ID } from '../tokens';

/** A setting as the registry hands it out: `get(key).composite` and a `changed` signal. */
class FakeSettings {
  constructor(public values: { [key: string]: any }) {}
  readonly changed = new Signal<this, void>(this);
  get(key: string) {
    return { composite: this.values[key], user: this.values[key] };
  }
  update(values: { [key: string]: any }) {
    this.values = values;
    this.changed.emit();
  }
}

function registry(plugins: { [id: string]: FakeSettings }) {
  const known: { [id: string]: object } = {};
  for (const id of Object.keys(plugins)) {
    known[id] = {};
  }
  return {
    plugins: known,
    load: async (id: string) => {
      if (!(id in plugins)) {
        throw new Error('no such plugin');
      }
      return plugins[id];
    }
  } as unknown as ISettingRegistry;
}

const ROLE = 'arn:aws:iam::123456789012:role/service-role/Saved';

describe('readSchedulerSettings', () => {
  it('reads the nested advancedOptions the scheduler saves', () => {
    const settings = new FakeSettings({
      advancedOptions: {
        role_arn: ` ${ROLE} `,
        s3_input: 's3://in-bucket/notebooks',
        s3_output: 's3://out-bucket/results',
        sm_output_kms_key: 'alias/jobs',
        sm_volume_kms_key: '1234abcd-12ab-34cd-56ef-1234567890ab',
        enable_network_isolation: false
      }
    });
    expect(readSchedulerSettings(settings as any)).toEqual({
      role_arn: ROLE,
      s3_input: 's3://in-bucket/notebooks',
      s3_output: 's3://out-bucket/results',
      sm_output_kms_key: 'alias/jobs',
      sm_volume_kms_key: '1234abcd-12ab-34cd-56ef-1234567890ab'
    });
  });

  it("treats the schema's empty defaults, a flat role_arn and odd types as unset", () => {
    const defaults = new FakeSettings({
      advancedOptions: {
        role_arn: '',
        s3_input: '',
        s3_output: '',
        sm_output_kms_key: '',
        sm_volume_kms_key: ''
      }
    });
    const flat = new FakeSettings({ role_arn: ROLE });
    const odd = new FakeSettings({ advancedOptions: { role_arn: 42 } });
    for (const s of [defaults, flat, odd]) {
      expect(readSchedulerSettings(s as any).role_arn).toBeNull();
    }
  });
});

describe('connectSettings', () => {
  it("feeds the scheduler's saved settings to the model and follows live changes", async () => {
    // Given both plugins' settings
    const scheduler = new FakeSettings({
      advancedOptions: { role_arn: ROLE, s3_input: 's3://in-bucket/p' }
    });
    const own = new FakeSettings({});
    const model = new NbJobIamModel();

    // When the panel connects
    await connectSettings(
      registry({ [PLUGIN_ID]: own, [SCHEDULER_SETTINGS_ID]: scheduler }),
      model
    );

    // Then the saved role is preselected and the folders are known
    expect(model.roleArn).toBe(ROLE);
    expect(model.roleSource).toBe('scheduler-settings');
    expect(model.schedulerSettings.s3_input).toBe('s3://in-bucket/p');

    // And a later save in the scheduler's form reaches the model
    scheduler.update({
      advancedOptions: {
        role_arn: 'arn:aws:iam::123456789012:role/Other',
        sm_output_kms_key: 'alias/out'
      }
    });
    expect(model.roleArn).toBe('arn:aws:iam::123456789012:role/Other');
    expect(model.schedulerSettings.sm_output_kms_key).toBe('alias/out');
    expect(model.schedulerSettings.s3_input).toBeNull();
  });

  it('does without the scheduler when it is not installed', async () => {
    const model = new NbJobIamModel();
    await connectSettings(
      registry({ [PLUGIN_ID]: new FakeSettings({}) }),
      model
    );
    expect(model.roleArn).toBeNull();
    expect(model.schedulerSettings.role_arn).toBeNull();
  });
});
