/**
 * A page object for the notebook job permissions panel: every locator by role and accessible name.
 */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import * as path from 'path';

export const SCREENSHOTS = path.resolve(
  __dirname,
  '..',
  '..',
  'docs',
  'screenshots'
);

export type TargetTitle =
  'Your identity' | 'Role trust' | 'Role permissions' | 'KMS key';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class PermissionsPanel {
  constructor(readonly page: IJupyterLabPageFixture) {}

  get tab(): Locator {
    return this.page.getByRole('tab', {
      name: 'Notebook job permissions (IAM)'
    });
  }
  get root(): Locator {
    return this.page.locator('#nbjob-iam-panel');
  }
  get profile(): Locator {
    return this.root.getByRole('combobox', { name: 'AWS profile' });
  }
  get search(): Locator {
    return this.root.getByRole('searchbox', { name: 'Search roles' });
  }
  get roleList(): Locator {
    return this.root.getByRole('listbox', { name: 'Roles' });
  }
  get roleInput(): Locator {
    return this.root.getByRole('textbox', { name: 'Role name or ARN' });
  }
  get kmsInput(): Locator {
    return this.root.getByRole('textbox', { name: 'KMS key ARN' });
  }
  get checkButton(): Locator {
    return this.root.getByRole('button', { name: 'Check permissions' });
  }
  get fixButton(): Locator {
    return this.root.getByRole('button', { name: 'Fix permissions' });
  }
  get undoButton(): Locator {
    return this.root.getByRole('button', { name: 'Undo', exact: true });
  }
  get progress(): Locator {
    return this.root.getByRole('status');
  }
  get alert(): Locator {
    return this.root.getByRole('alert');
  }
  get verdict(): Locator {
    return this.root.getByTestId('nbjob-iam-verdict');
  }
  get outcome(): Locator {
    return this.root.getByTestId('nbjob-iam-outcome');
  }
  /** The one-line "identity · role · region · keys" the inputs fold into after a check. */
  get inputsHeader(): Locator {
    return this.root.getByTestId('nbjob-iam-inputs-header');
  }

  /** Unfold the inputs when a check folded them. */
  async showInputs(): Promise<void> {
    if (
      (await this.inputsHeader.count()) > 0 &&
      (await this.inputsHeader.getAttribute('aria-expanded')) === 'false'
    ) {
      await this.inputsHeader.click();
    }
    await expect(this.roleList).toBeVisible();
  }

  /** Open the panel from the left sidebar and wait until identity and roles are read. */
  async open(): Promise<void> {
    if (!(await this.root.isVisible())) {
      await this.tab.click();
    }
    await expect(this.root).toBeVisible();
    await this.showInputs();
    await expect(this.root.getByTestId('nbjob-iam-identity-kind')).toHaveText(
      'IAM user ada',
      { timeout: 30000 }
    );
    await expect(this.roleList.getByRole('option').first()).toBeVisible();
  }

  role(name: string): Locator {
    return this.roleList.getByRole('option', {
      name: new RegExp(`^${escape(name)}\\b`)
    });
  }

  /** Search for a role and pick it from the list. */
  async pickRole(name: string): Promise<void> {
    await this.showInputs();
    await this.search.fill(name);
    await this.role(name).click();
    await expect(this.role(name)).toHaveAttribute('aria-selected', 'true');
  }

  /** Wait until nothing runs any more. */
  async idle(timeout = 60000): Promise<void> {
    await expect(this.progress).toBeEmpty({ timeout });
  }

  async check(): Promise<void> {
    await this.checkButton.click();
    await this.idle();
  }

  target(title: TargetTitle): Locator {
    return this.root.getByRole('region', { name: title });
  }

  /** The row toggle of one statement (its accessible name is the Sid then the status). */
  statement(title: TargetTitle, sid: string): Locator {
    return this.target(title).getByRole('button', {
      name: new RegExp(`^${escape(sid)}\\b`)
    });
  }

  async expectStatus(
    title: TargetTitle,
    sid: string,
    status: 'OK' | 'Missing' | 'Partial' | 'Denied' | 'Conditional' | 'Unknown'
  ): Promise<void> {
    await expect(this.statement(title, sid)).toHaveAccessibleName(
      new RegExp(`^${escape(sid)}( \\(legacy\\))? ${status}$`)
    );
  }

  /** Widen the left sidebar and make the window tall enough for the whole panel, then shoot it. */
  async screenshot(file: string): Promise<void> {
    await this.page.sidebar.setWidth(360, 'left');
    const top = (await this.root.boundingBox())?.y ?? 0;
    const height = await this.root
      .locator('.jp-NbJobIam-content')
      .evaluate(node => node.getBoundingClientRect().height);
    const bottom = await this.page.evaluate(
      () =>
        window.innerHeight -
        document.querySelector('#jp-main-split-panel')!.getBoundingClientRect()
          .bottom
    );
    await this.page.setViewportSize({
      width: 1024,
      height: Math.min(Math.ceil(top + height + bottom) + 2, 4000)
    });
    await this.root.evaluate(node => node.scrollTo(0, 0));
    await this.root.screenshot({ path: path.join(SCREENSHOTS, file) });
  }
}

export const FIX_DIALOG = 'Fix permissions: preview';
export const HANDOFF_DIALOG = 'Message for your administrator';
