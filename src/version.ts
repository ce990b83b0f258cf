import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { ENGLISH } from './i18n';

/** This frontend's version; a jest test keeps it equal to package.json's. */
export const FRONTEND_VERSION = '0.1.0';

/** -1, 0 or 1 as `a` is older, equal or newer than `b` (numeric dotted parts, rest as text). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/);
  const pb = b.split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const [x, y] = [pa[i] ?? '0', pb[i] ?? '0'];
    const [nx, ny] = [Number(x), Number(y)];
    const diff =
      Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (diff !== 0) {
      return diff < 0 ? -1 : 1;
    }
  }
  return 0;
}

/**
 * The sentence saying which half to reinstall when the server extension and this frontend differ,
 * else null.
 */
export function versionMismatch(
  serverVersion: string | null | undefined,
  frontendVersion: string = FRONTEND_VERSION,
  trans: TranslationBundle = ENGLISH
): string | null {
  if (!serverVersion || serverVersion === frontendVersion) {
    return null;
  }
  if (compareVersions(serverVersion, frontendVersion) > 0) {
    return trans.__(
      'The notebook job permissions panel is version %1 but its server extension is version %2: the JupyterLab extension is out of date. Reinstall it (`pip install --force-reinstall jupyter_nbjob_iam==%2`), then reload this page.',
      frontendVersion,
      serverVersion
    );
  }
  return trans.__(
    'The notebook job permissions panel is version %1 but its server extension is version %2: the server extension is out of date. Reinstall it (`pip install --force-reinstall jupyter_nbjob_iam==%1`), then restart the Jupyter server.',
    frontendVersion,
    serverVersion
  );
}

/** One warning notification when the two halves differ; true when it was shown. */
export function warnOnVersionMismatch(
  serverVersion: string | null | undefined,
  trans: TranslationBundle = ENGLISH,
  frontendVersion: string = FRONTEND_VERSION
): boolean {
  const text = versionMismatch(serverVersion, frontendVersion, trans);
  if (!text) {
    return false;
  }
  Notification.warning(text, { autoClose: false });
  return true;
}
