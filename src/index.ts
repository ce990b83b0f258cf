import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';

import { nbjobIamIcon } from './icon';
import { NbJobIamModel } from './model';
import { CommandIDs, PANEL_ID, PLUGIN_ID } from './tokens';
import { NbJobIamPanel } from './widgets/panel';

/** The sidebar panel, its commands and its place in the layout. */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Check and fix the IAM permissions SageMaker notebook jobs need.',
  autoStart: true,
  optional: [ILayoutRestorer, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null
  ) => {
    const model = new NbJobIamModel({
      serverSettings: app.serviceManager.serverSettings
    });
    const panel = new NbJobIamPanel(model);
    panel.id = PANEL_ID;
    panel.title.icon = nbjobIamIcon;
    panel.title.caption = 'Notebook job permissions (IAM)';
    app.shell.add(panel, 'left', { rank: 850 });
    if (restorer) {
      restorer.add(panel, PANEL_ID);
    }

    app.commands.addCommand(CommandIDs.open, {
      label: 'Open Notebook Job Permissions',
      caption: 'Show the IAM permissions panel for SageMaker notebook jobs',
      execute: () => {
        app.shell.activateById(panel.id);
      }
    });
    if (palette) {
      palette.addItem({ command: CommandIDs.open, category: 'Notebook Jobs' });
    }

    void app.restored.then(() => model.loadContext());
  }
};

export default plugin;
