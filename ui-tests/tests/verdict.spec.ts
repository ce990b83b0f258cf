import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import * as path from 'path';

import { PermissionsPanel, SCREENSHOTS } from './panel-page';

/** The verdict line lies wholly inside the window and inside the panel's visible part. */
async function expectInView(
  page: Page,
  panel: PermissionsPanel,
  verdict: Locator
) {
  const box = await verdict.boundingBox();
  const viewport = page.viewportSize()!;
  const visible = await panel.root.boundingBox();
  expect(box).not.toBeNull();
  expect(visible).not.toBeNull();
  const inside = (outer: {
    x: number;
    y: number;
    width: number;
    height: number;
  }) =>
    box!.x >= outer.x - 0.5 &&
    box!.y >= outer.y - 0.5 &&
    box!.x + box!.width <= outer.x + outer.width + 0.5 &&
    box!.y + box!.height <= outer.y + outer.height + 0.5;
  expect(inside({ x: 0, y: 0, ...viewport })).toBe(true);
  expect(inside(visible!)).toBe(true);
  expect(box!.height).toBeGreaterThan(0);
}

test.describe('the verdict first, in a 1400×900 window', () => {
  test.use({ viewport: { width: 1400, height: 900 } });

  for (const sidebar of [null, 360]) {
    test(`after Check the verdict is in view without scrolling (${sidebar ? `${sidebar} px sidebar` : 'default sidebar'})`, async ({
      page
    }) => {
      // Given the panel open, scrolled down to its Check button as a person would
      const panel = new PermissionsPanel(page);
      await panel.open();
      if (sidebar) {
        await page.sidebar.setWidth(sidebar, 'left');
      }
      await panel.checkButton.scrollIntoViewIfNeeded();

      // When they press Check
      await panel.checkButton.click();
      await panel.idle();

      // Then the verdict line is in the window, the inputs folded into one line that reopens
      await expect(panel.verdict).toContainText('missing or incomplete');
      await expectInView(page, panel, panel.verdict);
      await expect(panel.root.getByTestId('nbjob-iam-next')).toContainText(
        'Fix permissions'
      );
      await expect(panel.inputsHeader).toHaveAttribute(
        'aria-expanded',
        'false'
      );
      await expect(panel.inputsHeader).toHaveText(
        'ada · SagemakerJupyterSchedulerRole · us-east-1 · no KMS key'
      );
      await expect(panel.roleList).toBeHidden();
      // and the first failing statement is expanded, the rows that do not count neutral
      await expect(
        panel.statement('Your identity', 'EventBridgeSchedule')
      ).toHaveAttribute('aria-expanded', 'true');
      const legacy = panel.statement('Your identity', 'S3DriverAccess');
      await expect(legacy).toHaveAccessibleName(
        'S3DriverAccess (legacy) Not counted'
      );
      await expect(legacy.locator('[data-status]')).toHaveAttribute(
        'data-status',
        'neutral'
      );

      // When they click the one-line header, the inputs are back
      await panel.inputsHeader.click();
      await expect(panel.roleList).toBeVisible();
    });
  }
});

test.describe('in a 360 px wide window', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('after Check the verdict is in view without scrolling', async ({
    page
  }) => {
    const panel = new PermissionsPanel(page);
    await panel.open();
    await panel.checkButton.scrollIntoViewIfNeeded();
    await panel.checkButton.click();
    await panel.idle();
    await expect(panel.verdict).toContainText('missing or incomplete');
    await expectInView(page, panel, panel.verdict);
  });
});

test.describe('light and dark themes', () => {
  test.use({ viewport: { width: 1400, height: 900 } });

  test('the checked panel in both themes (README screenshots)', async ({
    page
  }) => {
    const panel = new PermissionsPanel(page);
    await panel.open();
    await page.sidebar.setWidth(360, 'left');
    await panel.check();
    await expect(panel.verdict).toBeVisible();
    await panel.root.evaluate(node => node.scrollTo(0, 0));
    await page.mouse.move(1300, 850);
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'panel-light.png'),
      clip: { x: 0, y: 0, width: 396, height: 900 }
    });

    await page.theme.setDarkTheme();
    expect(await page.theme.getTheme()).toBe('JupyterLab Dark');
    await expect(panel.verdict).toBeVisible();
    await expectInView(page, panel, panel.verdict);
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'panel-dark.png'),
      clip: { x: 0, y: 0, width: 396, height: 900 }
    });
    await page.theme.setLightTheme();
  });
});
