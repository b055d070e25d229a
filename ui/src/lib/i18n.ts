/**
 * The i18n catalogue: every string the user sees, French first, English second.
 *
 * Each language is a folder of flat JSON files (`core/i18n/<lang>/*.json`, key →
 * string). Several crates contribute files (`ui.json`, `agenda.json`, …), so this
 * module merges every file of a folder at build time. Messages take `{name}`
 * placeholders; plural forms live under `<key>.one` and `<key>.other`.
 */
import { derived, writable } from 'svelte/store';
import type { Language, Message } from './api';

export const LANGUAGES: Language[] = ['fr', 'en'];
export const DEFAULT_LANGUAGE: Language = 'fr';
const STORAGE_KEY = 'carnet.language';

export type Catalogue = Record<string, string>;

const files = import.meta.glob<Record<string, unknown>>('../../../core/i18n/*/*.json', {
  eager: true,
  import: 'default',
});

/** Merges the JSON files of each language folder; later files never override `ui.json`. */
export function buildCatalogues(modules: Record<string, Record<string, unknown>>): Record<string, Catalogue> {
  const catalogues: Record<string, Catalogue> = {};
  const paths = Object.keys(modules).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const path of paths) {
    const match = /\/i18n\/([a-z]{2})\/[^/]+\.json$/.exec(path);
    if (!match) continue;
    const catalogue = (catalogues[match[1]] ??= {});
    for (const [key, value] of Object.entries(modules[path])) {
      if (typeof value === 'string' && !(key in catalogue)) catalogue[key] = value;
    }
  }
  return catalogues;
}

function rank(path: string): number {
  return path.endsWith('/ui.json') ? 0 : 1;
}

export const catalogues = buildCatalogues(files);

/**
 * Replaces each `{name}` with `params.name`, numbers formatted for `language` (10 000
 * in French); unknown placeholders stay visible.
 */
export function interpolate(
  template: string,
  params: Record<string, string | number> = {},
  language: Language = DEFAULT_LANGUAGE,
): string {
  const numbers = new Intl.NumberFormat(language === 'fr' ? 'fr-FR' : 'en-GB');
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = params[name];
    return typeof value === 'number' ? numbers.format(value) : value;
  });
}

/**
 * Looks `key` up in `language`, then in French, and returns the key itself when both
 * miss, so a missing string is visible rather than blank.
 */
export function translate(
  language: Language,
  key: string,
  params?: Record<string, string | number>,
  source: Record<string, Catalogue> = catalogues,
): string {
  let template = source[language]?.[key] ?? source[DEFAULT_LANGUAGE]?.[key];
  if (template === undefined && params && typeof params.count === 'number') {
    const form = new Intl.PluralRules(language).select(params.count);
    template =
      source[language]?.[`${key}.${form}`] ??
      source[language]?.[`${key}.other`] ??
      source[DEFAULT_LANGUAGE]?.[`${key}.other`];
  }
  return template === undefined ? key : interpolate(template, params, language);
}

function initialLanguage(): Language {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (stored === 'fr' || stored === 'en') return stored;
  } catch {
    // Storage can be unavailable (private mode); French is the default.
  }
  return DEFAULT_LANGUAGE;
}

export const language = writable<Language>(initialLanguage());

/** Sets the language, persists it on this device and updates `<html lang>`. */
export function setLanguage(next: Language): void {
  language.set(next);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // Not persisted; the backend setting still carries it.
  }
}

if (typeof document !== 'undefined') {
  language.subscribe((lang) => {
    document.documentElement.lang = lang;
  });
}

export type Translator = (key: string, params?: Record<string, string | number>) => string;

/** Store of the translate function for the current language, read as `$t(…)` in components. */
export const t = derived(language, (lang): Translator => (key, params) => translate(lang, key, params));

/** Translates a backend message, `{ key, params }`. */
export const tm = derived(t, (tr) => (message: Message) => tr(message.key, message.params));
