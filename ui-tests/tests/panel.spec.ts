import { expect, test } from '@jupyterlab/galata';

import { FIX_DIALOG, PermissionsPanel } from './panel-page';

const ROLE = 'SagemakerJupyterSchedulerRole';

test.describe('Notebook job permissions panel (sandbox AWS)', () => {
  test('shows who the person is, where, and the roles that trust SageMaker first', async ({
    page
  }) => {
    // Given JupyterLab against the seeded sandbox account
    const panel = new PermissionsPanel(page);

    // When the person opens the panel
    await panel.open();

    // Then it shows the identity in words, the account and region, and the sandbox profile
    await expect(panel.root.getByTestId('nbjob-iam-identity-arn')).toHaveText(
      'arn:aws:iam::123456789012:user/notebook-users/ada'
    );
    await expect(panel.root.getByTestId('nbjob-iam-account')).toHaveText(
      '123456789012'
    );
    await expect(panel.root.getByTestId('nbjob-iam-region')).toContainText(
      'us-east-1'
    );
    await expect(panel.root.getByTestId('nbjob-iam-editable')).toHaveText(
      /^Yes/
    );
    await expect(panel.profile.getByRole('option')).toHaveText([
      'Environment credentials',
      'sandbox'
    ]);
    // and the roles trusting SageMaker come first, the scheduler's default preselected
    const trusted = panel.roleList.getByRole('group', {
      name: 'Trust SageMaker'
    });
    await expect(trusted.getByRole('option')).toHaveCount(2);
    await expect(
      panel.roleList
        .getByRole('group', { name: 'Other roles' })
        .getByRole('option')
    ).toHaveCount(1);
    await expect(panel.role(ROLE)).toHaveAttribute('aria-selected', 'true');
    await expect(panel.roleInput).toHaveValue(
      `arn:aws:iam::123456789012:role/service-role/${ROLE}`
    );
  });

  test('the whole journey: check, see the gaps, fix with a preview, undo', async ({
    page
  }) => {
    const panel = new PermissionsPanel(page);
    await panel.open();

    // Given the person picks the demo role (after looking at another one)
    await panel.pickRole('lambda-data-export');
    await panel.pickRole(ROLE);

    // When they check its permissions
    await panel.checkButton.click();
    // Then the progress is visible while the check runs
    await expect(panel.progress).toContainText('Checking permissions');
    await panel.idle();

    // And the seeded gaps are there, grouped by target, in words
    await expect(panel.verdict).toContainText('missing or incomplete');
    await panel.expectStatus('Your identity', 'EventBridgeSchedule', 'Missing');
    await panel.expectStatus('Your identity', 'IAMPassrole', 'Missing');
    await panel.expectStatus('Your identity', 'S3ArtifactsAccess', 'Partial');
    await panel.expectStatus('Your identity', 'SagemakerTags', 'OK');
    await panel.expectStatus('Your identity', 'IAMListRoles', 'OK');
    await panel.expectStatus('Role trust', 'TrustRelationship', 'Missing');
    await panel.expectStatus(
      'Role permissions',
      'PassroleForJobCreation',
      'Missing'
    );

    // The first gap is open already: the missing actions, the reason and the JSON to be added
    const row = panel.statement('Your identity', 'EventBridgeSchedule');
    await expect(row).toHaveAttribute('aria-expanded', 'true');
    const details = panel
      .target('Your identity')
      .locator(`#${await row.getAttribute('aria-controls')}`);
    await expect(details).toContainText('events:PutRule');
    await expect(details).toContainText('Used for:');
    await expect(details.locator('pre')).toContainText(
      '"Sid": "EventBridgeSchedule"'
    );
    const trustRow = panel.statement('Role trust', 'TrustRelationship');
    await trustRow.click();
    await expect(panel.target('Role trust')).toContainText(
      'events.amazonaws.com'
    );
    await trustRow.click();
    await expect(trustRow).toHaveAttribute('aria-expanded', 'false');
    await panel.screenshot('panel-before-fix.png');

    // When they ask to fix: a preview of every write, nothing written yet
    await panel.fixButton.click();
    const dialog = page.getByRole('dialog', { name: FIX_DIALOG });
    await expect(dialog).toBeVisible({ timeout: 60000 });
    const writes = dialog
      .getByRole('list', { name: 'Changes' })
      .getByRole('listitem');
    await expect(writes).toHaveCount(4);
    await expect(dialog).toContainText('iam:UpdateAssumeRolePolicy');
    await expect(dialog).toContainText('iam:PutRolePolicy');
    await expect(dialog).toContainText('events.amazonaws.com');
    await expect(
      dialog.getByRole('region', { name: 'Not written' })
    ).toContainText('S3DriverAccess');
    await dialog.getByText('After').first().click();
    await expect(dialog.locator('pre').first()).toContainText(
      '"Version": "2012-10-17"'
    );

    // And they apply it
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect(dialog).toBeHidden();
    await panel.idle(120000);

    // Then the re-check shows every gap closed, with an Undo and its backup
    await expect(panel.outcome).toContainText('Fixed: 4 changes applied.');
    await expect(panel.outcome).toContainText('Backup');
    await expect(panel.verdict).toContainText('All set');
    await panel.expectStatus('Your identity', 'EventBridgeSchedule', 'OK');
    await panel.expectStatus('Your identity', 'IAMPassrole', 'OK');
    await panel.expectStatus('Your identity', 'S3ArtifactsAccess', 'OK');
    await panel.expectStatus('Role trust', 'TrustRelationship', 'OK');
    await panel.expectStatus(
      'Role permissions',
      'PassroleForJobCreation',
      'OK'
    );
    await panel.expectStatus('Role permissions', 'SagemakerJobs', 'OK');
    await expect(panel.fixButton).toHaveCount(0);
    await panel.screenshot('panel-after-fix.png');

    // When they undo
    await panel.undoButton.click();
    await panel.idle(120000);

    // Then the documents are restored and the gaps are back
    await expect(panel.outcome).toContainText('Undone: 4 documents restored');
    await expect(panel.undoButton).toHaveCount(0);
    await panel.expectStatus('Your identity', 'EventBridgeSchedule', 'Missing');
    await panel.expectStatus('Role trust', 'TrustRelationship', 'Missing');
    await panel.expectStatus(
      'Role permissions',
      'PassroleForJobCreation',
      'Missing'
    );
    await expect(panel.fixButton).toBeVisible();
  });

  test('a role that does not exist is said in words', async ({ page }) => {
    const panel = new PermissionsPanel(page);
    await panel.open();
    await panel.roleInput.fill('NoSuchRole');
    await panel.check();
    await expect(panel.alert).toContainText('Unknown execution role');
    await expect(
      page
        .locator('.jp-Notification-Toast-error')
        .filter({ hasText: 'Unknown execution role' })
    ).toBeVisible();
  });

  test('the notebook toolbar button opens the panel and checks the chosen role', async ({
    page
  }) => {
    // Given an open notebook, the panel closed
    await page.notebook.createNew();
    const panel = new PermissionsPanel(page);
    await expect(panel.root).toBeHidden();

    // When the person presses the toolbar button right before scheduling the notebook
    await page
      .locator('.jp-NotebookPanel-toolbar')
      .getByRole('button', { name: 'Check job permissions' })
      .click();

    // Then the panel opens and shows the result of checking the preselected role
    await expect(panel.root).toBeVisible();
    await expect(panel.verdict).toBeVisible({ timeout: 60000 });
    await panel.expectStatus('Role trust', 'TrustRelationship', 'Missing');
    await expect(
      panel.root
        .getByText(/role\/service-role\/SagemakerJupyterSchedulerRole/)
        .first()
    ).toBeVisible();
  });

  test('the command palette offers open, check and fix', async ({ page }) => {
    await page.keyboard.press('Control+Shift+C');
    const palette = page.locator('#command-palette');
    await expect(palette).toBeVisible();
    await palette.getByRole('textbox').fill('Notebook Job Permissions');
    for (const label of [
      'Open Notebook Job Permissions',
      'Check Notebook Job Permissions',
      'Fix Notebook Job Permissions…'
    ]) {
      await expect(palette.getByText(label, { exact: true })).toBeVisible();
    }
    await palette
      .getByText('Check Notebook Job Permissions', { exact: true })
      .click();
    const panel = new PermissionsPanel(page);
    await expect(panel.verdict).toBeVisible({ timeout: 60000 });
  });
});

test.describe('after a page reload', () => {
  // Galata's mocked settings do not survive a reload; the real settings API does.
  test.use({ mockSettings: false });

  test('keeps the role, KMS key and last report across a page reload', async ({
    page
  }) => {
    const panel = new PermissionsPanel(page);
    await panel.open();
    await panel.pickRole('AmazonSageMaker-ExecutionRole');
    await panel.check();
    await panel.expectStatus('Role trust', 'TrustRelationship', 'Missing');
    await panel.showInputs();
    await panel.kmsInput.fill('arn:aws:kms:us-east-1:123456789012:key/demo');
    // JupyterLab writes the state database to the workspace 750 ms after the last change.
    await page.waitForTimeout(1500);

    await page.reload();
    await panel.open();

    await expect(
      panel.role('AmazonSageMaker-ExecutionRole-20240101T000000')
    ).toHaveAttribute('aria-selected', 'true');
    await expect(panel.kmsInput).toHaveValue(
      'arn:aws:kms:us-east-1:123456789012:key/demo'
    );
    await panel.expectStatus('Role trust', 'TrustRelationship', 'Missing');
  });
});
