import {
  SCHEDULER_TOOLBAR_ITEM,
  TOOLBAR_ITEM,
  TOOLBAR_LABEL
} from '../toolbar';
import { CommandIDs, TRANSLATION_DOMAIN } from '../tokens';

// Jest loads JSON with require (no Node types in this project's TypeScript setup).
declare const require: (path: string) => any;
const schema = require('../../schema/plugin.json');

describe('the notebook toolbar button', () => {
  const items = schema['jupyter.lab.toolbars']?.Notebook ?? [];

  it('is declared in the settings schema, running the check command', () => {
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      name: TOOLBAR_ITEM.name,
      command: CommandIDs.check,
      label: TOOLBAR_LABEL,
      icon: 'jupyter_nbjob_iam:shield'
    });
  });

  it("ranks right before the scheduler's create-job item", () => {
    expect(items[0].rank).toBe(TOOLBAR_ITEM.rank);
    expect(items[0].rank).toBeLessThan(SCHEDULER_TOOLBAR_ITEM.rank);
    expect(SCHEDULER_TOOLBAR_ITEM.rank - items[0].rank).toBeLessThanOrEqual(1);
  });

  it("is translated with the panel's domain, its caption too", () => {
    // JupyterLab's server translates schema strings with the domain named here (else "jupyterlab")
    const i18n = schema['jupyter.lab.internationalization'];
    expect(i18n.domain).toBe(TRANSLATION_DOMAIN);
    expect(items[0].caption).toBeTruthy();
    expect(i18n.selectors).toContain('jupyter\\.lab\\.toolbars/.*/caption');
  });
});
