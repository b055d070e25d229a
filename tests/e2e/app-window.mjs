/**
 * End-to-end run of the real Carnet window. It creates a vault, adds a person, imports
 * a PDF and a French CDA document through the drag-and-drop path, searches, opens both
 * documents, locks, unlocks and switches the language. Each step saves a screenshot
 * under artifacts/e2e/; README.md beside this file lists the steps and their checks.
 *
 * Usage: node tests/e2e/app-window.mjs [path/to/carnet-app]
 *
 * The binary must embed ui/dist (built with `--features tauri/custom-protocol`, or by
 * the Tauri CLI); a plain debug build loads the devUrl instead. With
 * CARNET_E2E_CAPTURES=docs/fr/captures the French screenshots are also written there
 * for the user guide. The last line reads `N passed, N failed`; the exit status is 0
 * only when every step passed. See harness.mjs for what the machine needs.
 */
import { resolve } from 'node:path';
import { applicationPath, capture, catalogue, Driver, expect, message, root, startStack, Steps, temporaryHome, waitFor } from './harness.mjs';

const application = applicationPath(process.argv[2]);
const guideDir = process.env.CARNET_E2E_CAPTURES ? resolve(root, process.env.CARNET_E2E_CAPTURES) : null;

/** Passphrase of the throwaway vault each run creates in its temporary home. */
const PASSPHRASE = 'cheval agrafe batterie correcte lune';
/** The patient of the CDA fixture below (PAT-TROIS DOMINIQUE, female, born 1979-03-28). */
const PERSON = { name: 'Dominique Pat-Trois', birthDate: '1979-03-28', sex: 'female', relation: 'titulaire' };
const PDF = `${root}/tests/fixtures/pdf/libreoffice-writer-trivial.pdf`;
const CDA = `${root}/core/clinical/tests/fixtures/cda/fr-ans/VAC-NOTE_2023.01.xml`;
/** A word of the CDA's narrative (a tetanus vaccine); the search ignores case and accents. */
const SEARCH_WORD = 'tétanique';

const fr = catalogue('fr');
const en = catalogue('en');

const { env } = temporaryHome();
const { url } = await startStack(env);
const driver = new Driver(url);
const steps = new Steps(driver);

/** Waits until the element's text equals `expected` and returns it. */
function waitForText(selector, expected, what) {
  let seen = null;
  return waitFor(`${what}: "${expected}" in ${selector}`, async () => {
    seen = await driver.text(selector);
    if (seen === expected) return seen;
    throw new Error(`saw "${seen}"`);
  });
}

/** Normalises text for comparisons that ignore case and accents, as Carnet's search does. */
function folded(text) {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

let titles = { pdf: null, cda: null };
let snippet = null;

try {
  await driver.start(application);

  await steps.run('first screen in French', async () => {
    const heading = await waitForText('main h1', message(fr, 'fr', 'firstrun.title'), 'the first screen');
    const title = await driver.title();
    const lang = await driver.execute('return document.documentElement.lang');
    await capture(driver, 'app-firstrun-fr', guideDir);
    expect(title === message(fr, 'fr', 'app.title'), `the window title "${message(fr, 'fr', 'app.title')}"`, title);
    expect(lang === 'fr', '<html lang="fr">', lang);
    expect(heading.length > 0, 'a heading', heading);
  });

  await steps.run('command outside the capabilities is denied', async () => {
    // The capability files grant Carnet's commands, dialogs and event listening only.
    const denied = await driver.executeAsync(
      `const done = arguments[arguments.length - 1];
       window.__TAURI_INTERNALS__.invoke('plugin:notification|is_permission_granted')
         .then(() => done('allowed'), (error) => done('denied: ' + error));`,
    );
    expect(/not allowed/.test(denied), 'a "not allowed" rejection', denied);
  });

  await steps.run('language switch on the first screen', async () => {
    await driver.click('[data-testid=language-switch]');
    await waitForText('main h1', message(en, 'en', 'firstrun.title'), 'the English heading');
    await capture(driver, 'app-firstrun-en');
    await driver.click('[data-testid=language-switch]');
    await waitForText('main h1', message(fr, 'fr', 'firstrun.title'), 'the French heading again');
  });

  await steps.run('passphrase check', async () => {
    // Typing calls passphrase_check in the shell; a score or a translated message shows, never a raw key.
    await driver.click('[data-testid=choose-create]');
    await driver.type('#new-passphrase', PASSPHRASE);
    const strength = await waitFor('the passphrase check', () => driver.text('[data-testid=strength]'));
    expect(!/\b(error|passphrase)\.[a-z_]+/.test(strength), 'a translated strength message', strength);
    await driver.type('#confirm-passphrase', PASSPHRASE);
    await capture(driver, 'app-firstrun-create-fr', guideDir);
  });

  await steps.run('vault creation and recovery kit', async () => {
    // Argon2id and SQLCipher run in the shell; the recovery kit is shown once.
    await waitFor('an enabled create button', () => driver.enabled('[data-testid=create-submit]'));
    await driver.click('[data-testid=create-submit]');
    const kit = await waitFor('the recovery kit', () => driver.text('[data-testid=recovery-kit]'));
    expect(kit.trim().length >= 20, 'a recovery kit of at least 20 characters', `${kit.trim().length} characters`);
    await capture(driver, 'app-recovery-kit-fr', guideDir);
    await driver.click('#kit-saved');
    await driver.click('[data-testid=kit-done]');
    await waitFor('the vault navigation', () => driver.element('[data-testid=nav-family]'));
  });

  await steps.run('add a person', async () => {
    await driver.click('[data-testid=nav-family]');
    await waitFor('the add button', () => driver.element('[data-testid=person-add]'));
    await driver.click('[data-testid=person-add]');
    await driver.type('#person-name', PERSON.name);
    // WebKitGTK's <input type=date> is a segmented field that WebDriver key input does
    // not fill reliably (typing "1979-03-28" gave 0028-12-03), so the ISO value is set
    // and the input event that picking a date fires is sent to Svelte's binding.
    await driver.execute(
      `const field = document.querySelector('#person-birth');
       field.value = arguments[0];
       field.dispatchEvent(new Event('input', { bubbles: true }));
       field.dispatchEvent(new Event('change', { bubbles: true }));`,
      PERSON.birthDate,
    );
    const birth = await driver.execute('return document.querySelector("#person-birth").value');
    expect(birth === PERSON.birthDate, `the birth date ${PERSON.birthDate} in the field`, birth);
    await driver.click(`#person-sex option[value=${PERSON.sex}]`);
    await driver.click(`#person-relation option[value=${PERSON.relation}]`);
    await driver.click('[data-testid=person-save]');
    const names = await waitFor('the new person card', async () => {
      const cards = await driver.execute(
        'return [...document.querySelectorAll("[data-testid=person] h2")].map((h) => h.textContent.trim())',
      );
      return cards.includes(PERSON.name) ? cards : null;
    });
    expect(names.length === 1, 'one person card', names);
    await capture(driver, 'app-family-fr', guideDir);
  });

  await steps.run('import by drag and drop', async () => {
    await driver.click('[data-testid=nav-documents]');
    await waitFor('the import area', () => driver.element('[data-testid=import]'));
    // Records the shell's import-progress events on a listener of our own (the
    // capability grants event listening), and every text the progress area shows.
    const listening = await driver.executeAsync(
      `const done = arguments[arguments.length - 1];
       window.__e2eEvents = [];
       window.__e2eProgressTexts = [];
       const area = document.querySelector('[data-testid=import-progress]');
       new MutationObserver(() => window.__e2eProgressTexts.push(area.textContent.trim()))
         .observe(area, { childList: true, subtree: true, characterData: true });
       const handler = window.__TAURI_INTERNALS__.transformCallback((event) => window.__e2eEvents.push(event.payload));
       window.__TAURI_INTERNALS__.invoke('plugin:event|listen', { event: 'import-progress', target: { kind: 'Any' }, handler })
         .then(() => done('listening'), (error) => done('failed: ' + error));`,
    );
    expect(listening === 'listening', 'a listener on import-progress', listening);
    // WebDriver cannot drive the desktop's drag and drop, so this delivers the events the
    // shell emits on a native drop (tauri://drag-enter, then tauri://drag-drop with the
    // paths) through the function the shell itself calls to deliver events to the page.
    // These are Tauri's internal names (tauri 2.12, src/event/listener.rs): a Tauri
    // upgrade that renames them makes this step time out waiting for a drop listener.
    const listeners = (event) =>
      driver.execute(
        'return Object.getOwnPropertyNames((window.__internal_unstable_listeners_object_id__ || {})[arguments[0]] || {}).length',
        event,
      );
    await waitFor('a drop listener on the documents screen', async () => (await listeners('tauri://drag-drop')) > 0);
    const delivered = await driver.execute(
      `const [paths] = arguments;
       const registry = window.__internal_unstable_listeners_object_id__ || {};
       const deliver = window.__internal_unstable_listeners_function_id__;
       const send = (event, payload) => {
         const ids = Object.getOwnPropertyNames(registry[event] || {}).map(Number);
         if (ids.length > 0) deliver({ event, payload }, ids);
         return ids.length;
       };
       const position = { x: 400, y: 200 };
       return { enter: send('tauri://drag-enter', { paths, position }), drop: send('tauri://drag-drop', { paths, position }) };`,
      [PDF, CDA],
    );
    expect(delivered.drop > 0, 'a drop listener on the documents screen', 'no drop listener');

    const summary = await waitFor('the import summary', () => driver.text('[data-testid=import-summary]'));
    const expected = [
      message(fr, 'fr', 'import.summary'),
      message(fr, 'fr', 'import.imported', { count: 2 }),
      message(fr, 'fr', 'import.duplicates', { count: 0 }),
      message(fr, 'fr', 'import.rejected', { count: 0 }),
    ];
    for (const line of expected) expect(summary.includes(line), `"${line}" in the summary`, summary);

    const events = await waitFor('the final progress event', async () => {
      const seen = await driver.execute('return window.__e2eEvents');
      return seen.some((event) => event.done === 2 && event.total === 2) ? seen : null;
    });
    const files = events.map((event) => event.file);
    for (const name of ['libreoffice-writer-trivial.pdf', 'VAC-NOTE_2023.01.xml']) {
      expect(files.includes(name), `a progress event naming ${name}`, files);
    }
    const texts = await driver.execute('return window.__e2eProgressTexts');
    const first = message(fr, 'fr', 'import.progress', { done: 0, total: 2, file: '' }).trim();
    expect(texts.some((text) => text.startsWith(first)), `the progress text "${first}…" on screen`, texts);

    await waitForText('[data-testid=documents-total]', message(fr, 'fr', 'documents.count', { count: 2 }), 'the list count');
    await waitFor('two rows', async () => (await driver.elements('[data-testid=document-row]')).length === 2);
    await capture(driver, 'app-import-fr', guideDir);
  });

  await steps.run('search with a highlighted snippet', async () => {
    await driver.type('#doc-search', SEARCH_WORD);
    await driver.click('form[role=search] button[type=submit]');
    const marks = await waitFor('a highlighted match', async () => {
      const found = await driver.execute(
        'return [...document.querySelectorAll("[data-testid=search-results] mark")].map((m) => m.textContent)',
      );
      return found.length > 0 ? found : null;
    });
    expect(marks.every((mark) => folded(mark) === folded(SEARCH_WORD)), `every <mark> to read "${SEARCH_WORD}"`, marks);
    const hits = await driver.execute(
      `return [...document.querySelectorAll('[data-testid=search-results] li')].map((li) => ({
         title: li.querySelector('button').textContent.trim(),
         snippet: li.querySelector('.snippet').textContent.trim(),
       }))`,
    );
    expect(hits.length === 1, 'one result', hits);
    titles.cda = hits[0].title;
    snippet = hits[0].snippet;
    await capture(driver, 'app-search-fr', guideDir);
  });

  await steps.run('open the CDA document', async () => {
    await driver.click('[data-testid=search-results] li button');
    await waitForText('#viewer-title', titles.cda, 'the viewer title');
    const frame = await waitFor('the CDA frame', () =>
      driver.execute(
        `const frame = document.querySelector('iframe[data-testid=viewer-cda]');
         return frame && { sandbox: frame.getAttribute('sandbox'), srcdoc: frame.getAttribute('srcdoc') || '', height: frame.clientHeight };`,
      ),
    );
    expect(frame.sandbox === '', 'an iframe with an empty sandbox attribute (no scripts, opaque origin)', frame.sandbox);
    expect(/Content-Security-Policy/.test(frame.srcdoc), 'a CSP in the frame document', frame.srcdoc.slice(0, 200));
    expect(frame.height > 100, 'a frame taller than 100 px', frame.height);
    await driver.enterFrame('iframe[data-testid=viewer-cda]');
    try {
      const body = await waitFor('the rendered CDA text', async () => {
        const text = await driver.text('body');
        return folded(text).includes(folded(SEARCH_WORD)) ? text : null;
      });
      expect(body.length > 0, 'text in the frame', body);
    } finally {
      await driver.leaveFrame();
    }
    await capture(driver, 'app-viewer-cda-fr', guideDir);
    await driver.click('[data-testid=viewer-back]');
  });

  await steps.run('open the PDF document', async () => {
    await driver.click('form[role=search] button[type=button]');
    await waitFor('two rows', async () => (await driver.elements('[data-testid=document-row]')).length === 2);
    const rows = await driver.execute(
      'return [...document.querySelectorAll("[data-testid=document-row] button.title")].map((b) => b.textContent.trim())',
    );
    const index = rows.findIndex((title) => title !== titles.cda);
    expect(index >= 0, `a row other than "${titles.cda}"`, rows);
    titles.pdf = rows[index];
    await driver.execute(
      'document.querySelectorAll("[data-testid=document-row] button.title")[arguments[0]].click()',
      index,
    );
    await waitForText('#viewer-title', titles.pdf, 'the viewer title');
    // pdf.js draws asynchronously, so this waits until the first canvas has dark pixels.
    const page = await waitFor('a drawn PDF page', () =>
      driver.execute(
        `const canvas = document.querySelector('[data-testid=pdf-pages] canvas');
         if (!canvas || canvas.width === 0) return null;
         const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
         let inked = 0;
         for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3] > 0 && pixels[i] < 200) inked += 1;
         return inked > 0 ? { width: canvas.width, height: canvas.height, inked } : null;`,
      ),
    );
    expect(page.inked > 100, 'more than 100 dark pixels on the page', page);
    await capture(driver, 'app-viewer-pdf-fr', guideDir);
    await driver.click('[data-testid=viewer-back]');
  });

  await steps.run('lock leaves no health data in the DOM', async () => {
    await driver.click('[data-testid=lock-now]');
    await waitForText('main h1', message(fr, 'fr', 'unlock.title'), 'the unlock screen');
    const page = await driver.execute(
      'return document.title + "\\n" + document.documentElement.outerHTML + "\\n" + document.querySelectorAll("iframe").length',
    );
    const secrets = [PERSON.name, 'PAT-TROIS', 'DOMINIQUE', titles.cda, titles.pdf, snippet, SEARCH_WORD];
    for (const secret of secrets) {
      expect(!folded(page).includes(folded(secret)), `no "${secret}" in the DOM after locking`, 'it is still there');
    }
    expect(page.endsWith('\n0'), 'no iframe after locking', page.slice(-20));
    await capture(driver, 'app-unlock-fr', guideDir);
  });

  await steps.run('unlock', async () => {
    await driver.type('#passphrase', PASSPHRASE);
    await driver.click('[data-testid=unlock-submit]');
    await waitFor('the vault navigation', () => driver.element('[data-testid=nav-documents]'));
    await driver.click('[data-testid=nav-documents]');
    await waitForText('[data-testid=documents-total]', message(fr, 'fr', 'documents.count', { count: 2 }), 'the list count');
  });

  await steps.run('language switch in the vault', async () => {
    const texts = async () => ({
      lang: await driver.execute('return document.documentElement.lang'),
      title: await driver.title(),
      family: await driver.text('[data-testid=nav-family]'),
      lock: await driver.text('[data-testid=lock-now]'),
      import: await driver.text('#import-heading'),
    });
    const expected = (messages, lang) => ({
      lang,
      title: message(messages, lang, 'app.title'),
      family: message(messages, lang, 'nav.family'),
      lock: message(messages, lang, 'app.lock_now'),
      import: message(messages, lang, 'import.title'),
    });
    const before = await texts();
    expect(JSON.stringify(before) === JSON.stringify(expected(fr, 'fr')), 'the French texts', before);
    await driver.click('[data-testid=language-switch]');
    const english = await waitFor('the English texts', async () => {
      const seen = await texts();
      return JSON.stringify(seen) === JSON.stringify(expected(en, 'en')) ? seen : null;
    });
    expect(english.lang === 'en', '<html lang="en">', english);
    await capture(driver, 'app-documents-en');
    await driver.click('[data-testid=language-switch]');
    await waitFor('the French texts again', async () => {
      const seen = await texts();
      return JSON.stringify(seen) === JSON.stringify(expected(fr, 'fr')) ? seen : null;
    });
  });
} catch (error) {
  // A failure outside a step: the driver or the app did not start.
  console.log(`not ok - start the app: ${error.message}`);
  steps.failed ??= 'start the app';
} finally {
  await driver.end();
}

console.log(`${steps.passed} passed, ${steps.failed ? 1 : 0} failed`);
process.exit(steps.failed ? 1 : 0);
