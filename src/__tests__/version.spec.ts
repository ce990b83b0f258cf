import * as fs from 'fs';
import * as path from 'path';

import { Notification } from '@jupyterlab/apputils';

import {
  compareVersions,
  FRONTEND_VERSION,
  versionMismatch,
  warnOnVersionMismatch
} from '../version';

describe('the version check', () => {
  it('knows this frontend’s version (package.json’s)', () => {
    const pkg = JSON.parse(
      fs.readFileSync(
        path.resolve(__dirname, '..', '..', 'package.json'),
        'utf-8'
      )
    );
    expect(FRONTEND_VERSION).toBe(pkg.version);
  });

  it('orders versions by their numbers', () => {
    expect(compareVersions('0.10.0', '0.9.1')).toBe(1);
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
    expect(compareVersions('0.1.0', '0.1.1')).toBe(-1);
  });

  it('says nothing when both halves match', () => {
    expect(versionMismatch('0.1.0', '0.1.0')).toBeNull();
    expect(versionMismatch(null, '0.1.0')).toBeNull();
  });

  it('names the half to reinstall', () => {
    expect(versionMismatch('0.2.0', '0.1.0')).toContain(
      'the JupyterLab extension is out of date'
    );
    expect(versionMismatch('0.2.0', '0.1.0')).toContain(
      'pip install --force-reinstall jupyter_nbjob_iam==0.2.0'
    );
    expect(versionMismatch('0.1.0', '0.2.0')).toContain(
      'the server extension is out of date'
    );
  });

  it('shows one warning notification that stays', () => {
    const warning = jest.spyOn(Notification, 'warning');
    expect(warnOnVersionMismatch('0.1.0', undefined, '0.1.0')).toBe(false);
    expect(warning).not.toHaveBeenCalled();
    expect(warnOnVersionMismatch('9.9.9', undefined, '0.1.0')).toBe(true);
    expect(warning).toHaveBeenCalledTimes(1);
    expect(warning.mock.calls[0][0]).toContain('version 0.1.0');
    expect(warning.mock.calls[0][1]).toEqual({ autoClose: false });
    warning.mockRestore();
  });
});
