import { TranslationBundle } from '@jupyterlab/translation';

import { ENGLISH } from '../i18n';

/** A translator that wraps every string it returns in ⟦…⟧, so untranslated text stands out. */
export const MARKED: TranslationBundle = {
  __: (msgid, ...args) => `⟦${ENGLISH.__(msgid, ...args)}⟧`,
  _n: (msgid, plural, n, ...args) =>
    `⟦${ENGLISH._n(msgid, plural, n, ...args)}⟧`,
  _p: (ctx, msgid, ...args) => `⟦${ENGLISH._p(ctx, msgid, ...args)}⟧`,
  _np: (ctx, msgid, plural, n, ...args) =>
    `⟦${ENGLISH._np(ctx, msgid, plural, n, ...args)}⟧`,
  gettext: (msgid, ...args) => `⟦${ENGLISH.gettext(msgid, ...args)}⟧`,
  ngettext: (msgid, plural, n, ...args) =>
    `⟦${ENGLISH.ngettext(msgid, plural, n, ...args)}⟧`,
  pgettext: (ctx, msgid, ...args) =>
    `⟦${ENGLISH.pgettext(ctx, msgid, ...args)}⟧`,
  npgettext: (ctx, msgid, plural, n, ...args) =>
    `⟦${ENGLISH.npgettext(ctx, msgid, plural, n, ...args)}⟧`,
  dcnpgettext: (domain, ctx, msgid, plural, n, ...args) =>
    `⟦${ENGLISH.dcnpgettext(domain, ctx, msgid, plural, n, ...args)}⟧`
};

/** What is left of a text once the marked (translated) parts are cut out. */
export function unmarked(text: string): string {
  return text.replace(/⟦[^⟧]*⟧/g, '');
}

const ATTRIBUTES = ['aria-label', 'placeholder', 'title', 'alt'];

/**
 * Every visible text and accessible attribute under `root` that still has words once the translated
 * parts and the `data` (values and server prose, which stay as they came) are cut out.
 */
export function untranslated(root: HTMLElement, data: string[]): string[] {
  const found: string[] = [];
  const longestFirst = [...data].sort((a, b) => b.length - a.length);
  const check = (text: string) => {
    let rest = unmarked(text);
    for (const value of longestFirst) {
      rest = rest.split(value).join('');
    }
    if (/[A-Za-z]/.test(rest)) {
      found.push(text);
    }
  };
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    check(node.textContent ?? '');
  }
  root.querySelectorAll('*').forEach(element => {
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value) {
        check(value);
      }
    }
  });
  return found;
}
