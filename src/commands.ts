import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';

import { fixPermissions } from './actions';
import { nbjobIamIcon } from './icon';
import { NbJobIamModel } from './model';
import { COMMAND_CATEGORY, CommandIDs } from './tokens';

/**
 * The three commands: open the panel; open it and check; open it, preview the fix and apply.
 * `ready` resolves once the panel has read the identity and roles (so the role is preselected).
 */
export function addCommands(
  app: JupyterFrontEnd,
  panelId: string,
  model: NbJobIamModel,
  ready: Promise<void>,
  palette: ICommandPalette | null
): void {
  const { commands, shell } = app;
  const open = () => shell.activateById(panelId);

  commands.addCommand(CommandIDs.open, {
    label: 'Open Notebook Job Permissions',
    caption: 'Show the IAM permissions panel for SageMaker notebook jobs',
    icon: args => (args.toolbar ? nbjobIamIcon : undefined),
    execute: open
  });
  commands.addCommand(CommandIDs.check, {
    label: 'Check Notebook Job Permissions',
    caption:
      'Check that you and the execution role may run SageMaker notebook jobs',
    isEnabled: () => !model.busy,
    execute: async () => {
      open();
      await ready;
      return model.check();
    }
  });
  commands.addCommand(CommandIDs.fix, {
    label: 'Fix Notebook Job Permissions…',
    caption: 'Preview the IAM changes notebook jobs need, then apply them',
    isEnabled: () => !model.busy,
    execute: async () => {
      open();
      await ready;
      return fixPermissions(model);
    }
  });
  model.changed.connect(() => {
    commands.notifyCommandChanged(CommandIDs.check);
    commands.notifyCommandChanged(CommandIDs.fix);
  });

  if (palette) {
    for (const command of [CommandIDs.open, CommandIDs.check, CommandIDs.fix]) {
      palette.addItem({ command, category: COMMAND_CATEGORY });
    }
  }
}
