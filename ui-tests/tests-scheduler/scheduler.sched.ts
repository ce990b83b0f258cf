import { expect, test } from '@jupyterlab/galata';

import { FIX_DIALOG, PermissionsPanel } from '../tests/panel-page';

/**
 * Both extensions in one JupyterLab (the real amazon-sagemaker-jupyter-scheduler 3.2.2 and this
 * one), against the sandbox account whose user and role miss some permissions (the seeded gap).
 */
test.describe('In the SageMaker scheduler flow', () => {
  test('our toolbar button sits right before "Create a notebook job"', async ({
    page
  }) => {
    await page.notebook.createNew();
    const toolbar = page.locator('.jp-NotebookPanel-toolbar').first();
    await expect(
      toolbar.locator('[data-jp-item-name="create-job"]')
    ).toBeVisible();

    const names = await toolbar
      .locator('.jp-Toolbar-item')
      .evaluateAll(items =>
        items.map(item => item.getAttribute('data-jp-item-name'))
      );
    const ours = names.indexOf('nbjob-iam-check');
    expect(ours).toBeGreaterThan(-1);
    expect(names[ours + 1]).toBe('create-job');
    await expect(
      toolbar.getByRole('button', { name: 'Check job permissions' })
    ).toBeVisible();
  });

  test('creating a job with a gap warns, and "Fix permissions" ends in a clean re-check', async ({
    page
  }) => {
    // Given a notebook, and an account with gaps
    await page.notebook.createNew();
    const toolbar = page.locator('.jp-NotebookPanel-toolbar').first();

    // When the person starts the scheduler's own "Create a notebook job"
    await toolbar
      .locator('[data-jp-item-name="create-job"]')
      .getByRole('button')
      .click();

    // Then a notification names the gaps, with the two actions
    const toast = page
      .locator('.jp-Notification-Toast-warning')
      .filter({ hasText: 'This notebook job may fail' });
    await expect(toast).toBeVisible({ timeout: 60000 });
    await expect(toast).toContainText('EventBridgeSchedule');
    await expect(
      toast.getByRole('button', { name: 'Show details' })
    ).toBeVisible();
    await expect(toast).toBeInViewport({ ratio: 1 }); // done sliding in
    await page.waitForTimeout(500);
    await page.screenshot({
      path: '../docs/screenshots/scheduler-notification.png'
    });

    // When they choose "Fix permissions" and apply the previewed fix
    await toast.getByRole('button', { name: 'Fix permissions' }).click();
    const dialog = page.getByRole('dialog', { name: FIX_DIALOG });
    await expect(dialog).toBeVisible({ timeout: 60000 });
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect(dialog).toBeHidden();

    // Then the panel's re-check is clean
    const panel = new PermissionsPanel(page);
    await expect(panel.root).toBeVisible();
    await panel.idle(120000);
    await expect(panel.verdict).toContainText('All set');
    await panel.expectStatus('Your identity', 'EventBridgeSchedule', 'OK');
    await panel.expectStatus('Role trust', 'TrustRelationship', 'OK');
  });
});
