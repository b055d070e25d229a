/**
 * Shared set-up of the browser tests: builds the front end with the mocked IPC entry
 * (`vite build --mode test`), serves it with `vite preview` on a free loopback port,
 * and drives Debian's Chromium through playwright-core (no browser download).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';

const uiRoot = fileURLToPath(new URL('../..', import.meta.url));
export const shotsDir = fileURLToPath(new URL('../../../artifacts/ui/', import.meta.url));

export const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 360, height: 800 } };

export async function start() {
  await build({ root: uiRoot, mode: 'test', logLevel: 'warn' });
  const server = await preview({ root: uiRoot, mode: 'test', preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  const base = server.resolvedUrls.local[0].replace(/\/$/, '');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(shotsDir, { recursive: true });
  return {
    base,
    browser,
    async stop() {
      await browser.close();
      await new Promise((resolve) => server.httpServer.close(resolve));
    },
  };
}

/**
 * Opens the mocked app in a fresh context. `query` is passed to the mock backend
 * (see tests/mock-entry.ts); `lang` is stored as the device language before load;
 * `now` (an ISO 8601 local date-time) fixes the page's clock while timers keep running.
 */
export async function openApp(env, { lang = 'fr', size = 'desktop', query = '', hash = '', clock = false, now = null } = {}) {
  const context = await env.browser.newContext({ viewport: SIZES[size], locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  if (clock) await page.clock.install();
  if (now) await page.clock.setFixedTime(new Date(now));
  await page.addInitScript((language) => {
    // Runs in every frame, including the sandboxed CDA frame where storage throws.
    try {
      if (!localStorage.getItem('carnet.language')) localStorage.setItem('carnet.language', language);
    } catch {
      // No storage in sandboxed frames.
    }
  }, lang);
  await page.goto(`${env.base}/tests/mock.html?${query}${hash}`);
  return { context, page, errors };
}

/** Runs axe with the WCAG 2.1 A and AA rules and returns the serious and critical violations. */
export async function seriousViolations(page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Horizontal overflow of the page in pixels; zero means it fits the window width. */
export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
