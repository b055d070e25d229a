/**
 * Behaviour of the front end over the mocked IPC: locking clears the DOM, the virtual
 * list renders a window of 10,000 rows, import progress and summary, cancellation,
 * drag and drop, translated errors, safe snippets and the sandboxed CDA frame.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openApp, start } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

async function withApp(options, body) {
  const app = await openApp(env, options);
  try {
    await body(app.page);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.context.close();
  }
}

const VAULT_TEXT = ['Camille Martin', 'Léo Martin', 'Bilan sanguin', 'Hémoglobine', 'Pénicilline'];

test('lock now clears vault data from the DOM', async () => {
  await withApp({ hash: '#/documents' }, async (page) => {
    await page.waitForSelector('[data-testid=document-row] button');
    await page.click('[data-testid=document-row] button >> nth=0');
    await page.waitForSelector('[data-testid=pdf-pages] canvas');
    const before = await page.content();
    assert.ok(before.includes('Bilan sanguin'));

    await page.click('[data-testid=lock-now]');
    await page.waitForSelector('[data-testid=unlock-submit]');
    const html = await page.content();
    for (const text of VAULT_TEXT) assert.ok(!html.includes(text), `"${text}" is still in the DOM after lock`);
    assert.equal(await page.locator('canvas, img[src^="blob:"], iframe').count(), 0);
    const calls = await page.evaluate(() => window.__carnet.calls.map((c) => c.cmd));
    assert.ok(calls.includes('vault_lock'));
  });
});

test('unlock after lock shows data again', async () => {
  await withApp({ hash: '#/family' }, async (page) => {
    await page.waitForSelector('[data-testid=person]');
    await page.click('[data-testid=lock-now]');
    await page.fill('#passphrase', await page.evaluate(() => window.__carnet.passphrase));
    await page.click('[data-testid=unlock-submit]');
    await page.waitForSelector('[data-testid=person]');
    assert.equal(await page.locator('[data-testid=person]').count(), 3);
  });
});

test('auto-lock after the idle delay', async () => {
  await withApp({ hash: '#/family', clock: true }, async (page) => {
    await page.waitForSelector('[data-testid=person]');
    await page.clock.fastForward('04:00');
    assert.equal(await page.locator('[data-testid=person]').count(), 3);
    await page.clock.fastForward('01:30');
    await page.waitForSelector('[data-testid=unlock-submit]');
    assert.ok(!(await page.content()).includes('Camille Martin'));
    assert.match(await page.textContent('main [role=status]'), /verrouillé après une période d'inactivité/);
  });
});

test('virtual list renders a window of 10,000 rows', async () => {
  await withApp({ hash: '#/documents', query: 'docs=10000' }, async (page) => {
    await page.waitForSelector('[data-testid=document-row] button');
    assert.match(await page.textContent('[data-testid=documents-total]'), /10\s000 documents/);
    const rows = await page.locator('[data-testid=row]').count();
    assert.ok(rows > 0, 'no row rendered');
    assert.ok(rows < 60, `${rows} rows rendered`);

    await page.$eval('[data-testid=virtual-viewport]', (el) => (el.scrollTop = el.scrollHeight));
    await page.waitForSelector('[data-testid=row][aria-posinset="10000"] button');
    assert.ok((await page.locator('[data-testid=row]').count()) < 60);
    const pages = await page.evaluate(() => window.__carnet.calls.filter((c) => c.cmd === 'documents_list').length);
    assert.ok(pages < 10, `${pages} documents_list calls`);
  });
});

test('arrow keys move focus through the virtual list', async () => {
  await withApp({ hash: '#/documents', query: 'docs=10000' }, async (page) => {
    await page.waitForSelector('[data-testid=document-row] button');
    await page.focus('[data-testid=row][aria-posinset="1"] button');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.closest('[data-index]').dataset.index), '1');
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.activeElement?.closest('[data-index]')?.dataset.index === '9999');
  });
});

test('import names the person and can force a mismatch', async () => {
  await withApp({ hash: '#/documents', query: 'pick=mismatch&importDelay=10' }, async (page) => {
    await page.waitForSelector('[data-testid=import-person]');
    const names = await page.$$eval('[data-testid=import-person] option', (options) => options.map((o) => o.textContent));
    assert.ok(names.length > 1, String(names));
    await page.selectOption('[data-testid=import-person]', { index: 1 });
    await page.click('[data-testid=import-choose]');
    await page.waitForSelector('[data-testid=import-force]');
    assert.match(await page.textContent('[data-testid=import-summary]'), /autre-patient\.xml/);
    assert.match(await page.textContent('[data-testid=import-force]'), new RegExp(`Importer quand même pour ${names[1]}`));
    await page.click('[data-testid=import-force]');
    await page.waitForFunction(() => /1 document importé/.test(document.querySelector('[data-testid=import-summary]')?.textContent ?? ''));
    const calls = await page.evaluate(() => window.__carnet.calls.filter((c) => c.cmd === 'import_files'));
    assert.equal(calls.length, 2);
    assert.equal(calls[0].args.force, false);
    assert.equal(calls[1].args.force, true);
    assert.deepEqual(calls[1].args.paths, ['/home/camille/autre-patient.xml']);
    assert.equal(calls[1].args.personId, calls[0].args.personId);
    assert.notEqual(calls[0].args.personId, 'p1');
  });
});

test('import shows progress then a summary', async () => {
  await withApp({ hash: '#/documents', query: 'importDelay=300' }, async (page) => {
    await page.waitForSelector('[data-testid=document-row] button');
    await page.click('[data-testid=import-choose]');
    await page.waitForFunction(() => /sur 4 importés/.test(document.querySelector('[data-testid=import-progress]').textContent));
    assert.equal(await page.locator('progress').count(), 1);
    await page.waitForSelector('[data-testid=import-summary]');
    const summary = await page.textContent('[data-testid=import-summary]');
    assert.match(summary, /Import terminé/);
    assert.match(summary, /2 documents importés/);
    assert.match(summary, /2 fichiers refusés/);
    assert.match(summary, /virus\.exe/);
    assert.match(summary, /EXE non pris en charge : programme/);
    assert.match(summary, /fichier vide/);
    const call = await page.evaluate(() => window.__carnet.calls.find((c) => c.cmd === 'import_files'));
    assert.equal(call.args.personId, 'p1');
    assert.equal(call.args.paths.length, 4);
  });
});

test('import can be cancelled', async () => {
  await withApp({ hash: '#/documents', query: 'importDelay=400', lang: 'en' }, async (page) => {
    await page.waitForSelector('[data-testid=document-row] button');
    await page.click('[data-testid=import-choose]');
    await page.waitForFunction(() => /1 of 4 imported/.test(document.querySelector('[data-testid=import-progress]').textContent));
    await page.click('[data-testid=import-cancel]');
    await page.waitForSelector('[data-testid=import-summary]');
    assert.match(await page.textContent('[data-testid=import-summary]'), /Import cancelled/);
  });
});

test('dropped files are imported', async () => {
  await withApp({ hash: '#/documents', query: 'importDelay=10' }, async (page) => {
    await page.waitForSelector('[data-testid=document-row] button');
    await page.evaluate(() =>
      window.__carnet.emit('tauri://drag-drop', { paths: ['/tmp/compte-rendu.pdf'], position: { x: 10, y: 10 } }),
    );
    await page.waitForSelector('[data-testid=import-summary]');
    assert.match(await page.textContent('[data-testid=import-summary]'), /1 document importé/);
  });
});

test('wrong passphrase error is translated', async () => {
  for (const [lang, expected] of [
    ['fr', /Phrase de passe incorrecte/],
    ['en', /Wrong passphrase/],
  ]) {
    await withApp({ query: 'state=locked', lang }, async (page) => {
      await page.fill('#passphrase', 'pas la bonne');
      await page.click('[data-testid=unlock-submit]');
      await page.waitForSelector('[data-testid=error]');
      assert.match(await page.textContent('[data-testid=error]'), expected);
      assert.equal(await page.getAttribute('#passphrase', 'aria-invalid'), 'true');
    });
  }
});

test('backend error with params is translated', async () => {
  await withApp({ hash: '#/family', query: 'fail=people_list', lang: 'en' }, async (page) => {
    await page.waitForSelector('[data-testid=error]');
    const text = await page.textContent('[data-testid=error]');
    assert.equal(await page.getAttribute('[data-testid=error]', 'data-key'), 'error.io');
    assert.ok(!text.includes('error.io'), text);
    assert.match(text, /\/home\/camille\/Carnet/);
  });
});

test('remembered device falls back to the passphrase', async () => {
  await withApp({ query: 'state=locked&remembered=1' }, async (page) => {
    await page.click('[data-testid=unlock-device]');
    await page.waitForSelector('[data-testid=error]');
    assert.match(await page.textContent('[data-testid=error]'), /phrase de passe/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'passphrase');
  });
});

test('invalid INS error is shown on the form', async () => {
  await withApp({ hash: '#/family' }, async (page) => {
    await page.click('[data-testid=person-add]');
    await page.fill('#person-name', 'Inès Martin');
    await page.fill('#person-birth', '2019-07-01');
    await page.fill('#person-ins', '12345');
    await page.click('[data-testid=person-save]');
    await page.waitForSelector('[data-testid=error]');
    assert.match(await page.textContent('[data-testid=error]'), /INS invalide « 12345 »/);
    assert.equal(await page.getAttribute('#person-ins', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'person-ins');
    await page.fill('#person-ins', '');
    await page.click('[data-testid=person-save]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=person]').length === 4);
  });
});

test('search snippets highlight matches as text', async () => {
  await withApp({ hash: '#/documents' }, async (page) => {
    await page.fill('[data-testid=search-input]', 'ferritine');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=search-results] mark');
    assert.equal(await page.textContent('[data-testid=search-results] mark >> nth=0'), 'ferritine');
    assert.equal(await page.locator('[data-testid=search-results] img').count(), 0);
    assert.match(await page.textContent('[data-testid=search-results]'), /<img src=x/);
    assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
  });
});

test('CDA rendering runs in a sandboxed frame', async () => {
  await withApp({ hash: '#/documents' }, async (page) => {
    await page.waitForSelector('[data-testid=document-row] button');
    await page.selectOption('[data-testid=filter-category]', 'RADIO_SC');
    await page.waitForSelector('[data-testid=document-row] button');
    await page.click('[data-testid=document-row] button >> nth=0');
    await page.waitForSelector('[data-testid=viewer-cda]');
    assert.equal(await page.getAttribute('[data-testid=viewer-cda]', 'sandbox'), '');
    const srcdoc = await page.getAttribute('[data-testid=viewer-cda]', 'srcdoc');
    assert.match(srcdoc, /Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"/);
    const frame = page.frameLocator('[data-testid=viewer-cda]');
    await frame.locator('h1').waitFor();
    assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
    assert.equal(await page.locator('[data-testid=viewer-entries] tbody tr').count(), 2);
  });
});

test('document edit and delete with confirmation', async () => {
  await withApp({ hash: '#/documents' }, async (page) => {
    await page.waitForSelector('[data-testid=document-row] button');
    assert.match(await page.textContent('[data-testid=documents-total]'), /240 documents/);
    await page.click('[data-testid=document-row] button >> nth=0');
    await page.fill('#doc-title', 'Bilan renommé');
    await page.click('[data-testid=viewer-save]');
    await page.waitForSelector('#viewer-title:text("Bilan renommé")');
    await page.click('[data-testid=viewer-delete]');
    await page.waitForSelector('[data-testid=delete-dialog][open]');
    // The focus starts on Cancel, so Enter closes the dialog without deleting.
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=delete-dialog]:not([open])', { state: 'attached' });
    const early = await page.evaluate(() => window.__carnet.calls.map((c) => c.cmd));
    assert.ok(!early.includes('document_delete'));
    await page.click('[data-testid=viewer-delete]');
    await page.waitForSelector('[data-testid=delete-dialog][open]');
    await page.click('[data-testid=delete-confirm]');
    await page.waitForFunction(() => /239 documents/.test(document.querySelector('[data-testid=documents-total]')?.textContent ?? ''));
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
    assert.match(await page.textContent('[data-testid=documents-notice]'), /Document « Bilan renommé » supprimé/);
    const calls = await page.evaluate(() => window.__carnet.calls.map((c) => c.cmd));
    assert.ok(calls.includes('document_update'));
    assert.ok(calls.includes('document_delete'));
  });
});

test('create vault refuses a weak passphrase and shows the kit once', async () => {
  await withApp({ query: 'state=fresh' }, async (page) => {
    await page.click('[data-testid=choose-create]');
    assert.match(await page.textContent('[data-testid=loss-warning]'), /définitivement perdues/);
    await page.fill('#new-passphrase', 'court');
    await page.waitForSelector('[data-testid=strength] li');
    assert.match(await page.textContent('[data-testid=strength]'), /refusée/);
    assert.ok(await page.isDisabled('[data-testid=create-submit]'));
    await page.fill('#new-passphrase', 'cheval agrafe batterie correcte');
    await page.fill('#confirm-passphrase', 'cheval agrafe batterie correcte');
    await page.check('#remember');
    await page.click('[data-testid=create-submit]:not([disabled])');
    await page.waitForSelector('[data-testid=recovery-kit]');
    assert.match(await page.textContent('[data-testid=recovery-kit]'), /^CARNET-RK1 /);
    const call = await page.evaluate(() => window.__carnet.calls.find((c) => c.cmd === 'vault_create'));
    assert.equal(call.args.remember, true);
    assert.ok(await page.isDisabled('[data-testid=kit-done]'));
    await page.check('#kit-saved');
    await page.click('[data-testid=kit-done]');
    await page.waitForSelector('[data-testid=person]');
    assert.equal(await page.locator('[data-testid=recovery-kit]').count(), 0);
  });
});

test('language switch persists and updates lang', async () => {
  await withApp({ hash: '#/family' }, async (page) => {
    await page.waitForSelector('[data-testid=person]');
    await page.click('[data-testid=language-switch]');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent('h1'), 'My family');
    assert.equal(await page.evaluate(() => localStorage.getItem('carnet.language')), 'en');
    await page.reload();
    await page.waitForSelector('[data-testid=person]');
    assert.equal(await page.textContent('h1'), 'My family');
  });
});

test('journal verification result is shown', async () => {
  await withApp({ hash: '#/settings' }, async (page) => {
    await page.click('[data-testid=journal-verify]');
    await page.waitForSelector('[data-testid=journal-result] p');
    assert.match(await page.textContent('[data-testid=journal-result]'), /Historique intact\s:\s3 entrées vérifiées/);
  });
});

test('wrong current passphrase error clears on correction', async () => {
  await withApp({ hash: '#/settings' }, async (page) => {
    await page.fill('#current-passphrase', 'pas la bonne phrase');
    await page.fill('#next-passphrase', 'girafe-nuage-piano-orbite-1987');
    await page.fill('#next-confirm', 'girafe-nuage-piano-orbite-1987');
    await page.click('#passphrase-h ~ form button[type=submit]');
    await page.waitForSelector('#passphrase-h ~ form [data-testid=error]');
    await page.fill('#current-passphrase', 'pas la bonne phrase, corrigée');
    assert.equal(await page.locator('#passphrase-h ~ form [data-testid=error]').count(), 0);
  });
});

test('agenda labels come from agenda.json', async () => {
  const { readFileSync } = await import('node:fs');
  const catalogue = JSON.parse(readFileSync(new URL('../../../core/i18n/fr/agenda.json', import.meta.url), 'utf8'));
  await withApp({ hash: '#/agenda' }, async (page) => {
    await page.waitForSelector('[data-testid=agenda-events]');
    await page.selectOption('#agenda-person', 'p2');
    await page.waitForSelector('[data-testid=agenda-due]');
    const text = await page.textContent('[data-testid=agenda-due]');
    assert.ok(text.includes(catalogue['agenda.vaccine.dtcap']), text);
    assert.ok(!text.includes('agenda.vaccine.dtcap'), text);
  });
});

test('opening a document focuses its title', async () => {
  await withApp({ hash: '#/documents' }, async (page) => {
    await page.waitForSelector('[data-testid=document-row] button');
    await page.click('[data-testid=document-row] button >> nth=0');
    await page.waitForFunction(() => document.activeElement?.id === 'viewer-title');
    await page.click('[data-testid=viewer-back]');
    await page.waitForSelector('[data-testid=document-row] button');
  });
});

test('vault-locked event clears the DOM', async () => {
  await withApp({ hash: '#/family' }, async (page) => {
    await page.waitForSelector('[data-testid=person]');
    await page.evaluate(() => window.__carnet.emit('vault-locked', null));
    await page.waitForSelector('[data-testid=unlock-submit]');
    assert.ok(!(await page.content()).includes('Camille Martin'));
    assert.match(await page.textContent('main [role=status]'), /verrouillé après une période d'inactivité/);
  });
});
