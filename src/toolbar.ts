import { JupyterFrontEnd } from '@jupyterlab/application';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { INotebookModel, NotebookPanel } from '@jupyterlab/notebook';
import { ToolbarButton } from '@jupyterlab/ui-components';
import { IDisposable } from '@lumino/disposable';

import { nbjobIamIcon } from './icon';
import { CommandIDs } from './tokens';

export const TOOLBAR_LABEL = 'Check job permissions';
const ITEM_NAME = 'nbjob-iam-check';
/** Toolbar items the notebook scheduler adds; our button goes right before them. */
const SCHEDULER_ITEMS = [
  'scheduleJob',
  'schedule-job',
  'create-job',
  'notebookJobs'
];

/** A notebook toolbar button: the step right before "Create Notebook Job". */
export class CheckPermissionsButton implements DocumentRegistry.IWidgetExtension<
  NotebookPanel,
  INotebookModel
> {
  constructor(private readonly _commands: JupyterFrontEnd['commands']) {}

  createNew(panel: NotebookPanel): IDisposable {
    const button = new ToolbarButton({
      icon: nbjobIamIcon,
      label: TOOLBAR_LABEL,
      tooltip: TOOLBAR_LABEL,
      onClick: () => {
        void this._commands.execute(CommandIDs.check);
      }
    });
    const toolbar = panel.toolbar;
    const placed = SCHEDULER_ITEMS.some(name =>
      toolbar.insertBefore(name, ITEM_NAME, button)
    );
    if (!placed && !toolbar.insertAfter('cellType', ITEM_NAME, button)) {
      toolbar.addItem(ITEM_NAME, button);
    }
    return button;
  }
}
