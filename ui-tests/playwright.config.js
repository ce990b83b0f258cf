/**
 * Galata in Debian's Chromium (Playwright cannot download browsers here), no video (needs ffmpeg).
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// A port of its own can be chosen, so a CI run and a developer's run can share a machine.
const port = process.env.NBJOB_IAM_UI_PORT || '8888';
process.env.TARGET_URL = process.env.TARGET_URL || `http://localhost:${port}`;

module.exports = {
  ...baseConfig,
  timeout: 120000,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    ...baseConfig.use,
    baseURL: process.env.TARGET_URL,
    video: 'off',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    }
  },
  webServer: {
    command: `jupyter lab --config jupyter_server_test_config.py --ServerApp.port=${port}`,
    url: `http://localhost:${port}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI
  }
};
