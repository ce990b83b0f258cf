/**
 * Start a second JupyterLab for the error paths: same test configuration, its own sandbox, with
 * faults chosen by the environment variables jupyter_server_test_config.py reads.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

const UI_TESTS = path.resolve(__dirname, '..');

export interface ILabServer {
  url: string;
  stop(): Promise<void>;
}

async function waitForLab(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `jupyter lab exited with ${child.exitCode} before it served ${url}`
      );
    }
    try {
      const response = await fetch(`${url}/lab`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(
    `jupyter lab did not serve ${url} within ${timeoutMs / 1000} s`
  );
}

export async function startLab(
  port: number,
  faults: { [method: string]: string },
  awsFaults: { [call: string]: string } = {}
): Promise<ILabServer> {
  const log: string[] = [];
  const child = spawn(
    'jupyter',
    [
      'lab',
      '--config',
      'jupyter_server_test_config.py',
      `--ServerApp.port=${port}`
    ],
    {
      cwd: UI_TESTS,
      env: {
        ...process.env,
        NBJOB_IAM_UI_FAULTS: JSON.stringify(faults),
        NBJOB_IAM_UI_AWS_FAULTS: JSON.stringify(awsFaults)
      },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  const keep = (chunk: Buffer) => {
    log.push(chunk.toString());
    log.splice(0, Math.max(0, log.length - 200));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://localhost:${port}`;
  try {
    await waitForLab(url, child, 120000);
  } catch (error) {
    child.kill('SIGTERM');
    throw new Error(`${(error as Error).message}\n${log.join('')}`);
  }
  return {
    url,
    stop: () =>
      new Promise<void>(resolve => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10000).unref();
      })
  };
}
