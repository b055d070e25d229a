/**
 * Checks every screen in French and English, at 1280×800 and 360×800. On each, axe
 * reports no serious or critical WCAG 2.1 A/AA violation, `<html lang>` follows the
 * language, nothing overflows sideways and the app's CSP blocks nothing the page needs.
 * A screenshot of each is saved under artifacts/ui/.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { horizontalOverflow, openApp, seriousViolations, shotsDir, start } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

/** Each screen: how to reach it from a fresh page, and a selector that proves it is shown. */
const SCREENS = [
  { name: 'firstrun', query: 'state=fresh', ready: '[data-testid=choose-create]' },
  {
    name: 'firstrun-create',
    query: 'state=fresh',
    ready: '[data-testid=strength] strong',
    go: async (page) => {
      await page.click('[data-testid=choose-create]');
      await page.fill('#new-passphrase', 'court');
    },
  },
  {
    name: 'recovery-kit',
    query: 'state=fresh',
    ready: '[data-testid=recovery-kit]',
    go: async (page) => {
      await page.click('[data-testid=choose-create]');
      await page.fill('#new-passphrase', 'cheval agrafe batterie correcte');
      await page.fill('#confirm-passphrase', 'cheval agrafe batterie correcte');
      await page.click('[data-testid=create-submit]:not([disabled])');
    },
  },
  { name: 'unlock', query: 'state=locked&remembered=1', ready: '[data-testid=unlock-submit]' },
  { name: 'family', query: '', hash: '#/family', ready: '[data-testid=person]' },
  { name: 'documents', query: '', hash: '#/documents', ready: '[data-testid=document-row] button' },
  {
    name: 'viewer-pdf',
    query: '',
    hash: '#/documents',
    ready: '[data-testid=pdf-pages] canvas',
    go: async (page) => {
      await page.click('[data-testid=document-row] button >> nth=0');
    },
  },
  { name: 'profile', query: '', hash: '#/profile', ready: '[data-testid=chart]', go: async (page) => page.selectOption('[data-testid=person-picker]', 'p2') },
  { name: 'agenda', query: '', hash: '#/agenda', ready: '[data-testid=agenda-events]' },
  { name: 'settings', query: '', hash: '#/settings', ready: '[data-testid=journal]' },
];

for (const screen of SCREENS) {
  for (const lang of ['fr', 'en']) {
    for (const size of ['desktop', 'phone']) {
      test(`${screen.name} ${lang} ${size}`, async () => {
        const { context, page, errors } = await openApp(env, { lang, size, query: screen.query, hash: screen.hash ?? '' });
        try {
          if (screen.go) {
            await page.waitForSelector('main');
            await page.waitForFunction(() => !document.querySelector('[aria-busy=true]'));
            await screen.go(page);
          }
          await page.waitForSelector(screen.ready);
          assert.equal(await page.getAttribute('html', 'lang'), lang);
          assert.deepEqual(await seriousViolations(page), []);
          assert.ok((await horizontalOverflow(page)) <= 0, 'the page scrolls sideways');
          await page.screenshot({ path: `${shotsDir}${screen.name}-${lang}-${size}.png`, fullPage: true });
          assert.deepEqual(errors, []);
          assert.deepEqual(await page.evaluate(() => window.__carnet.cspViolations), []);
        } finally {
          await context.close();
        }
      });
    }
  }
}
