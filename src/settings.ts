import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { NbJobIamModel } from './model';
import { IPanelSettings, PLUGIN_ID, SCHEDULER_SETTINGS_ID } from './tokens';

function text(settings: ISettingRegistry.ISettings, key: string): string {
  const value = settings.get(key).composite;
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * Feed the panel's settings, and the scheduler's `role_arn` when its plugin is installed here,
 * into the model as defaults; follow later edits. Never throws: missing settings mean defaults.
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
        model.setSchedulerRoleArn(text(settings, 'role_arn') || null);
      apply();
      settings.changed.connect(apply);
    },
    () => undefined
  );
  await Promise.all([own, scheduler]);
}
