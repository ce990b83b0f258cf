import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { fixPermissions } from './actions';
import { ENGLISH } from './i18n';
import { nbjobIamIcon } from './icon';
import { NbJobIamModel } from './model';
import { CommandIDs } from './tokens';

/**
 * The three commands: open the panel; open it and check; open it, preview the fix and apply.
 * `ready` resolves once the panel has read the identity and roles (so the role is preselected).
 */
export function addCommands(
  app: JupyterFrontEnd,
  panelId: string,
  model: NbJobIamModel,
  ready: Promise<void>,
  palette: ICommandPalette | null,
  trans: TranslationBundle = ENGLISH
): void {
  const { commands, shell } = app;
  const open = () => shell.activateById(panelId);

  commands.addCommand(CommandIDs.open, {
    label: trans.__('Open Notebook Job Permissions'),
    caption: trans.__(
      'Show the IAM permissions panel for SageMaker notebook jobs'
    ),
    icon: args => (args.toolbar ? nbjobIamIcon : undefined),
    execute: open
  });
  commands.addCommand(CommandIDs.check, {
    label: trans.__('Check Notebook Job Permissions'),
    caption: trans.__(
      'Check that you and the execution role may run SageMaker notebook jobs'
    ),
    isEnabled: () => !model.busy,
    execute: async () => {
      open();
      await ready;
      return model.check();
    }
  });
  commands.addCommand(CommandIDs.fix, {
    label: trans.__('Fix Notebook Job Permissions…'),
    caption: trans.__(
      'Preview the IAM changes notebook jobs need, then apply them'
    ),
    isEnabled: () => !model.busy,
    execute: async () => {
      open();
      await ready;
      return fixPermissions(model, trans);
    }
  });
  model.changed.connect(() => {
    commands.notifyCommandChanged(CommandIDs.check);
    commands.notifyCommandChanged(CommandIDs.fix);
  });

  if (palette) {
    for (const command of [CommandIDs.open, CommandIDs.check, CommandIDs.fix]) {
      palette.addItem({ command, category: trans.__('Notebook Jobs') });
    }
  }
}
