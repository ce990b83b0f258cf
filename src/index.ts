import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { copyForAdministrator, fixPermissions, undoFix } from './actions';
import { addCommands } from './commands';
import { nbjobIamIcon } from './icon';
import { NbJobIamModel } from './model';
import { notifyErrors } from './notify';
import { connectSettings } from './settings';
import { connectSchedulerHook } from './schedulerHook';
import { PANEL_ID, PLUGIN_ID, TRANSLATION_DOMAIN } from './tokens';
import { warnOnVersionMismatch } from './version';
import { NbJobIamPanel } from './widgets/panel';

/** The sidebar panel, its commands, the notebook toolbar button, settings and saved state. */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Check and fix the IAM permissions SageMaker notebook jobs need.',
  autoStart: true,
  optional: [
    ILayoutRestorer,
    ICommandPalette,
    ISettingRegistry,
    IStateDB,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    state: IStateDB | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const model = new NbJobIamModel({
      serverSettings: app.serviceManager.serverSettings,
      state
    });
    const notifications = notifyErrors(model, trans);

    const panel = new NbJobIamPanel(
      model,
      {
        onCheck: () => void model.check(),
        onFix: () => void fixPermissions(model, trans),
        onCopyForAdministrator: () => void copyForAdministrator(model, trans),
        onUndo: () => void undoFix(model, trans)
      },
      trans
    );
    panel.id = PANEL_ID;
    panel.title.icon = nbjobIamIcon;
    panel.title.caption = trans.__('Notebook job permissions (IAM)');
    panel.disposed.connect(() => notifications.dispose());
    app.shell.add(panel, 'left', { rank: 850 });
    if (restorer) {
      restorer.add(panel, PANEL_ID);
    }

    const ready = Promise.all([
      app.restored,
      connectSettings(settingRegistry, model)
    ]).then(() => model.initialize());
    void ready.then(() => warnOnVersionMismatch(model.context?.version, trans));
    addCommands(app, panel.id, model, ready, palette, trans);
    // The notebook toolbar button is declared in schema/plugin.json (jupyter.lab.toolbars).
    connectSchedulerHook({
      commands: app.commands,
      model,
      ready,
      serverSettings: app.serviceManager.serverSettings,
      trans
    });
  }
};

export default plugin;
