/**
 * Galata with both extensions: the real SageMaker scheduler 3.2.2 and this one, as installed in the
 * scheduler's own venv (`make test-scheduler` puts its `jupyter` first on PATH). The specs end in
 * `.sched.ts`, so the main config (`*.spec.ts`) never runs them without the scheduler.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const main = require('./playwright.config');

const port = process.env.NBJOB_IAM_SCHED_UI_PORT || '8931';
const url = `http://localhost:${port}`;

module.exports = {
  ...main,
  testDir: 'tests-scheduler',
  testMatch: '**/*.sched.ts',
  use: { ...main.use, baseURL: url },
  webServer: {
    ...main.webServer,
    command: `jupyter lab --config jupyter_server_test_config.py --ServerApp.port=${port}`,
    url: `${url}/lab`,
    // The fix's per-principal locks are shared by every process of the user (NBJOB_IAM_LOCK_DIR):
    // every sandbox has the same user ada, so other test runs on this machine would collide.
    env: {
      ...process.env,
      NBJOB_IAM_LOCK_DIR: fs.mkdtempSync(
        path.join(os.tmpdir(), 'nbjob-iam-locks-')
      )
    }
  }
};
