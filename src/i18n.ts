import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { TRANSLATION_DOMAIN } from './tokens';

/** English, for tests and for a JupyterLab without a translator. */
export const ENGLISH: TranslationBundle =
  nullTranslator.load(TRANSLATION_DOMAIN);

/** The panel's translation bundle, for every component below the panel and the dialogs. */
export const TransContext = React.createContext<TranslationBundle>(ENGLISH);

export function useTrans(): TranslationBundle {
  return React.useContext(TransContext);
}
