import { expect, test } from '@jupyterlab/galata';

import { ILabServer, startLab } from './lab-server';
import { FIX_DIALOG, HANDOFF_DIALOG, PermissionsPanel } from './panel-page';

/** Each scenario gets its own JupyterLab (own port, own sandbox) with the faults it names. */
function withFaultyLab(
  port: number,
  faults: { [method: string]: string },
  awsFaults: { [call: string]: string } = {}
) {
  let lab: ILabServer | null = null;
  test.describe.configure({ mode: 'serial' });
  test.use({ baseURL: `http://localhost:${port}` });
  test.beforeAll(async () => {
    test.setTimeout(180000);
    lab = await startLab(port, faults, awsFaults);
  });
  test.afterAll(async () => {
    await lab?.stop();
  });
}

const BASE_PORT = Number(process.env.NBJOB_IAM_UI_PORT || '8888');

test.describe('an AWS login that expired', () => {
  withFaultyLab(BASE_PORT + 11, { check: 'sso_login_expired' });

  test('says so, and gives the login command, in the panel and as a notification', async ({
    page
  }) => {
    const panel = new PermissionsPanel(page);
    await panel.open();

    await panel.check();

    await expect(panel.alert).toContainText('Your AWS login has expired');
    await expect(panel.alert.locator('code')).toHaveText(
      'aws sso login --profile default'
    );
    await expect(
      page
        .locator('.jp-Notification-Toast-error')
        .filter({ hasText: 'aws sso login' })
    ).toBeVisible();
    await expect(panel.verdict).toHaveCount(0);
  });
});

test.describe('AWS refuses the fix (AccessDenied)', () => {
  withFaultyLab(BASE_PORT + 12, { apply: 'access_denied' });

  test('names the denied action and hands the request to an administrator', async ({
    page,
    context
  }) => {
    // Given a check with gaps and a preview of the fix
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const panel = new PermissionsPanel(page);
    await panel.open();
    await panel.check();
    await panel.fixButton.click();
    const dialog = page.getByRole('dialog', { name: FIX_DIALOG });
    await expect(dialog).toBeVisible({ timeout: 60000 });

    // When the person applies and AWS refuses
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await panel.idle();

    // Then the panel says what was refused, and offers the hand-off first
    await expect(panel.alert).toContainText('AWS refused: access denied');
    await expect(panel.alert).toContainText('iam:PutUserPolicy');
    await expect(
      page
        .locator('.jp-Notification-Toast-error')
        .filter({ hasText: 'access denied' })
    ).toBeVisible();
    const copy = panel.alert.getByRole('button', {
      name: 'Copy for administrator'
    });
    await expect(copy).toBeVisible();

    // When they copy it: the administrator gets the exact documents and commands
    await copy.click();
    await expect(
      page.getByText('Copied the request for your administrator')
    ).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('IAM changes for SageMaker notebook jobs');
    expect(copied).toContain('"Sid": "EventBridgeSchedule"');
  });

  test('shows the hand-off in a dialog when the clipboard is refused', async ({
    page
  }) => {
    const panel = new PermissionsPanel(page);
    await panel.open();
    await panel.check();
    await page.evaluate(() => {
      Object.defineProperty(navigator, 'clipboard', {
        value: { writeText: () => Promise.reject(new Error('denied')) }
      });
    });

    await panel.root
      .getByRole('button', { name: 'Copy for administrator' })
      .click();

    const dialog = page.getByRole('dialog', { name: HANDOFF_DIALOG });
    await expect(dialog).toBeVisible({ timeout: 60000 });
    await expect(
      dialog.getByRole('textbox', { name: HANDOFF_DIALOG })
    ).toHaveValue(/aws iam /);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
  });
});
