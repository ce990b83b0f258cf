import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';

import { copyForAdministrator, fixPermissions, undoFix } from './actions';
import { addCommands } from './commands';
import { nbjobIamIcon } from './icon';
import { NbJobIamModel } from './model';
import { notifyErrors } from './notify';
import { connectSettings } from './settings';
import { connectSchedulerHook } from './schedulerHook';
import { PANEL_ID, PLUGIN_ID } from './tokens';
import { NbJobIamPanel } from './widgets/panel';

/** The sidebar panel, its commands, the notebook toolbar button, settings and saved state. */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Check and fix the IAM permissions SageMaker notebook jobs need.',
  autoStart: true,
  optional: [ILayoutRestorer, ICommandPalette, ISettingRegistry, IStateDB],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    state: IStateDB | null
  ) => {
    const model = new NbJobIamModel({
      serverSettings: app.serviceManager.serverSettings,
      state
    });
    notifyErrors(model);

    const panel = new NbJobIamPanel(model, {
      onCheck: () => void model.check(),
      onFix: () => void fixPermissions(model),
      onCopyForAdministrator: () => void copyForAdministrator(model),
      onUndo: () => void undoFix(model)
    });
    panel.id = PANEL_ID;
    panel.title.icon = nbjobIamIcon;
    panel.title.caption = 'Notebook job permissions (IAM)';
    app.shell.add(panel, 'left', { rank: 850 });
    if (restorer) {
      restorer.add(panel, PANEL_ID);
    }

    const ready = Promise.all([
      app.restored,
      connectSettings(settingRegistry, model)
    ]).then(() => model.initialize());
    addCommands(app, panel.id, model, ready, palette);
    // The notebook toolbar button is declared in schema/plugin.json (jupyter.lab.toolbars).
    connectSchedulerHook({
      commands: app.commands,
      model,
      ready,
      serverSettings: app.serviceManager.serverSettings
    });
  }
};

export default plugin;
