import { CommandIDs, SCHEDULER_CREATE_COMMAND } from './tokens';

/**
 * The notebook toolbar button is declared in `schema/plugin.json` under `jupyter.lab.toolbars`
 * (JupyterLab's toolbar registry places and renders it), ranked right before the scheduler's own
 * "Create a notebook job" item, which jupyter-scheduler declares the same way at rank 46. No item
 * names are guessed and nothing is inserted by hand. These constants mirror the declaration;
 * a jest test keeps the two in step. Its label and caption are translated by JupyterLab's server with
 * the panel's domain (the schema's `jupyter.lab.internationalization`), not here.
 */
export const TOOLBAR_LABEL = 'Check job permissions';

export const TOOLBAR_ITEM = {
  name: 'nbjob-iam-check',
  command: CommandIDs.check,
  rank: 45
};

/** jupyter-scheduler's own declaration (its schema/plugin.json). */
export const SCHEDULER_TOOLBAR_ITEM = {
  name: 'create-job',
  command: SCHEDULER_CREATE_COMMAND,
  rank: 46
};
