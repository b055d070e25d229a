import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogues, catalogues, interpolate, translate } from './i18n';
import { CATEGORIES, RELATIONS, SEXES, SOURCES } from './api';

const SOURCE_ROOT = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('translate', () => {
  const source = {
    fr: { 'a.b': 'Bonjour {name}', 'n.one': '{count} document', 'n.other': '{count} documents', only: 'seulement fr' },
    en: { 'a.b': 'Hello {name}', 'n.one': '{count} document', 'n.other': '{count} documents' },
  };

  it('substitutes parameters', () => {
    expect(translate('en', 'a.b', { name: 'Léo' }, source)).toBe('Hello Léo');
  });

  it('falls back to French then to the key', () => {
    expect(translate('en', 'only', undefined, source)).toBe('seulement fr');
    expect(translate('en', 'missing.key', undefined, source)).toBe('missing.key');
  });

  it('picks plural forms by language rules', () => {
    expect(translate('fr', 'n', { count: 1 }, source)).toBe('1 document');
    expect(translate('fr', 'n', { count: 0 }, source)).toBe('0 document');
    expect(translate('en', 'n', { count: 0 }, source)).toBe('0 documents');
    expect(translate('en', 'n', { count: 2 }, source)).toBe('2 documents');
  });

  it('formats numbers for the language', () => {
    expect(interpolate('{n}', { n: 10000 }, 'fr')).toBe('10\u202f000');
    expect(interpolate('{n}', { n: 10000 }, 'en')).toBe('10,000');
  });

  it('leaves unknown placeholders visible', () => {
    expect(interpolate('{a} {b}', { a: 'x' })).toBe('x {b}');
  });
});

describe('buildCatalogues', () => {
  it('merges every file of a language and keeps ui.json first', () => {
    const merged = buildCatalogues({
      '../../../core/i18n/fr/core.json': { 'error.io': 'core', 'category.X': 'core X' },
      '../../../core/i18n/fr/ui.json': { 'category.X': 'ui X' },
      '../../../core/i18n/en/agenda.json': { 'agenda.ror': 'MMR', nested: { no: 1 } },
    });
    expect(merged.fr['category.X']).toBe('ui X');
    expect(merged.fr['error.io']).toBe('core');
    expect(merged.en['agenda.ror']).toBe('MMR');
    expect(merged.en.nested).toBeUndefined();
  });
});

describe('catalogue', () => {
  const ui = (lang: string) =>
    JSON.parse(readFileSync(join(SOURCE_ROOT, `../../core/i18n/${lang}/ui.json`), 'utf8')) as Record<string, string>;

  it('has the same keys in French and English', () => {
    expect(Object.keys(ui('en')).sort()).toEqual(Object.keys(ui('fr')).sort());
  });

  it('labels every category, relation and sex', () => {
    for (const lang of ['fr', 'en'] as const) {
      for (const code of CATEGORIES) expect(catalogues[lang][`category.${code}`], code).toBeTruthy();
      for (const relation of RELATIONS) expect(catalogues[lang][`relation.${relation}`], relation).toBeTruthy();
      for (const sex of SEXES) expect(catalogues[lang][`sex.${sex}`], sex).toBeTruthy();
    }
  });

  it('contains every key the sources build from a value', () => {
    const families: [string, readonly (string | number)[]][] = [
      ['nav', ['family', 'documents', 'profile', 'agenda', 'settings']],
      ['measurement', ['weight', 'height', 'head_circumference', 'bmi', 'systolic', 'diastolic']],
      ['passphrase.score', [0, 1, 2, 3, 4]],
      ['agenda.status', ['upcoming', 'due', 'overdue']],
      ['source', SOURCES],
    ];
    for (const lang of ['fr', 'en'] as const) {
      for (const [prefix, values] of families) {
        for (const value of values) expect(catalogues[lang][`${prefix}.${value}`], `${lang}:${prefix}.${value}`).toBeTruthy();
      }
    }
  });

  it('keeps one key per meaning across files', () => {
    // ui.json may reword only errors, whose CLI wording names commands the app does not have.
    for (const lang of ['fr', 'en']) {
      const uiKeys = new Set(Object.keys(ui(lang)));
      const shared: string[] = [];
      for (const file of ['core.json', 'agenda.json']) {
        const other = JSON.parse(readFileSync(join(SOURCE_ROOT, `../../core/i18n/${lang}/${file}`), 'utf8'));
        for (const key of Object.keys(other)) {
          if (uiKeys.has(key) && !key.startsWith('error.')) shared.push(`${lang}:${file}:${key}`);
        }
      }
      expect(shared).toEqual([]);
    }
  });

  it('contains every literal key the sources use', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(SOURCE_ROOT)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\$t\('([a-z_.0-9]+)'/g)) {
        const key = match[1];
        const plural = `${key}.other`;
        for (const lang of ['fr', 'en'] as const) {
          if (!(key in catalogues[lang]) && !(plural in catalogues[lang])) missing.push(`${lang}:${key}`);
        }
      }
      for (const match of text.matchAll(/key: '(error\.[a-z_]+)'/g)) {
        if (!(match[1] in catalogues.fr)) missing.push(`fr:${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
