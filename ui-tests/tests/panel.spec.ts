import { expect, test } from '@jupyterlab/galata';

test.describe('Notebook job permissions panel', () => {
  test('opens from the left sidebar and shows profiles and region', async ({
    page
  }) => {
    // Given JupyterLab with the extension, and an AWS config with two profiles
    const tab = page.getByRole('tab', {
      name: 'Notebook job permissions (IAM)'
    });
    await expect(tab).toBeVisible();

    // When the person opens the panel
    await tab.click();
    const panel = page.locator('#nbjob-iam-panel');
    await expect(panel).toBeVisible();

    // Then it lists the profiles boto3 sees and the region the scheduler would use
    await expect(panel.getByTestId('nbjob-iam-profiles')).toHaveText(
      'default, research'
    );
    await expect(panel.getByTestId('nbjob-iam-region')).toContainText(
      'eu-west-1'
    );
    await expect(
      panel.getByRole('combobox', { name: 'AWS profile' })
    ).toHaveValue('default');
  });
});
