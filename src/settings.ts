import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { NbJobIamModel } from './model';
import {
  IPanelSettings,
  ISchedulerSettings,
  PLUGIN_ID,
  SCHEDULER_SETTINGS_ID
} from './tokens';

function text(settings: ISettingRegistry.ISettings, key: string): string {
  const value = settings.get(key).composite;
  return typeof value === 'string' ? value.trim() : '';
}

const SCHEDULER_KEYS: (keyof ISchedulerSettings)[] = [
  'role_arn',
  's3_input',
  's3_output',
  'sm_output_kms_key',
  'sm_volume_kms_key'
];

/**
 * The scheduler's saved defaults: its schema nests them in `advancedOptions` (no other top-level
 * key is allowed), e.g. `{"advancedOptions": {"role_arn": "...", "s3_input": "s3://b/p", ...}}`.
 * Empty strings (the schema's defaults) and non-strings become null.
 */
export function readSchedulerSettings(
  settings: Pick<ISettingRegistry.ISettings, 'get'>
): ISchedulerSettings {
  const raw = settings.get('advancedOptions').composite;
  const options =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? (raw as Record<string, unknown>)
      : {};
  const out = {} as ISchedulerSettings;
  for (const key of SCHEDULER_KEYS) {
    const value = options[key];
    out[key] = typeof value === 'string' && value.trim() ? value.trim() : null;
  }
  return out;
}

/**
 * Feed the panel's settings, and the scheduler's saved `advancedOptions` when its plugin is
 * installed here, into the model as defaults; follow later edits (the scheduler's form saves them
 * while JupyterLab runs). Never throws: missing settings mean defaults.
 */
export async function connectSettings(
  registry: ISettingRegistry | null,
  model: NbJobIamModel
): Promise<void> {
  if (!registry) {
    return;
  }
  const own = registry.load(PLUGIN_ID).then(
    settings => {
      const apply = () => {
        const values: IPanelSettings = {
          defaultProfile: text(settings, 'defaultProfile'),
          defaultRegion: text(settings, 'defaultRegion'),
          defaultRoleArn: text(settings, 'defaultRoleArn'),
          inlinePolicyName:
            text(settings, 'inlinePolicyName') || 'SageMakerNotebookJobs'
        };
        model.setSettings(values);
      };
      apply();
      settings.changed.connect(apply);
    },
    error => console.warn('nbjob-iam: could not load the panel settings', error)
  );
  // The scheduler is optional: its settings exist only when its plugin is installed (the
  // registry preloads every installed plugin's schema, so asking for others would only 404).
  const scheduler = (
    SCHEDULER_SETTINGS_ID in registry.plugins
      ? registry.load(SCHEDULER_SETTINGS_ID)
      : Promise.reject(new Error('scheduler not installed'))
  ).then(
    settings => {
      const apply = () =>
        model.setSchedulerSettings(readSchedulerSettings(settings));
      apply();
      settings.changed.connect(apply);
    },
    () => undefined
  );
  await Promise.all([own, scheduler]);
}
