/**
 * Editing over the mocked IPC, in French and English on a 360×800 phone screen.
 * The tests cover a person's fields on the Family screen and the blood group on the
 * Profile screen. They also cover the export's progress bar, cancellation and skipped
 * documents, and the warning shown when the keyring cannot remember the device.
 * Each form is checked with axe.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { horizontalOverflow, openApp, seriousViolations, start } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

async function withApp(options, body) {
  const app = await openApp(env, { size: 'phone', ...options });
  try {
    await body(app.page);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.context.close();
  }
}

async function calls(page, cmd) {
  return page.evaluate((name) => window.__carnet.calls.filter((c) => c.cmd === name), cmd);
}

const PERSON_EDIT = {
  fr: { edit: 'Modifier Camille Martin', saved: /Fiche de Camille Durand enregistrée/, relation: /Conjoint/ },
  en: { edit: 'Edit Camille Martin', saved: /Camille Durand's details saved/, relation: /Spouse or partner/ },
};

for (const [lang, text] of Object.entries(PERSON_EDIT)) {
  test(`person edit saves every field ${lang}`, async () => {
    await withApp({ hash: '#/family', lang }, async (page) => {
      await page.waitForSelector('[data-testid=person]');
      await page.click(`button[aria-label="${text.edit}"]`);
      await page.waitForSelector('#person-name');
      assert.equal(await page.inputValue('#person-name'), 'Camille Martin');
      assert.equal(await page.inputValue('#person-ins'), '288057512345678');
      assert.deepEqual(await seriousViolations(page), []);
      assert.ok((await horizontalOverflow(page)) <= 0, 'the form scrolls sideways');

      await page.fill('#person-name', 'Camille Durand');
      await page.fill('#person-birth', '1988-05-03');
      await page.selectOption('#person-sex', 'unknown');
      await page.selectOption('#person-relation', 'conjoint');
      await page.fill('#person-ins', '');
      await page.click('[data-testid=person-save]');
      await page.waitForFunction(() => !document.querySelector('#person-name'));

      const [call] = await calls(page, 'person_update');
      assert.equal(call.args.id, 'p1');
      assert.equal(call.args.person.name, 'Camille Durand');
      assert.equal(call.args.person.birthDate, '1988-05-03');
      assert.equal(call.args.person.sex, 'unknown');
      assert.equal(call.args.person.relation, 'conjoint');
      assert.equal(call.args.person.ins, undefined, 'an emptied INS is sent as absent, which clears it');

      const card = page.locator('[data-testid=person]', { hasText: 'Camille Durand' });
      assert.match(await card.textContent(), text.relation);
      assert.doesNotMatch(await card.textContent(), /288057512345678/);
      assert.match(await page.textContent('[data-testid=family-notice]'), text.saved);
    });
  });
}

test('person edit shows a rejected INS and keeps the form', async () => {
  await withApp({ hash: '#/family' }, async (page) => {
    await page.waitForSelector('[data-testid=person]');
    await page.click('button[aria-label="Modifier Léo Martin"]');
    await page.fill('#person-ins', '99');
    await page.click('[data-testid=person-save]');
    await page.waitForSelector('[data-testid=error]');
    assert.match(await page.textContent('[data-testid=error]'), /INS invalide « 99 »/);
    assert.equal(await page.getAttribute('#person-ins', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#person-name'), 'Léo Martin');
  });
});

const BLOOD = {
  fr: { saved: /Groupe sanguin enregistré/, unknown: 'Non renseigné' },
  en: { saved: /Blood group saved/, unknown: 'Not recorded' },
};

for (const [lang, text] of Object.entries(BLOOD)) {
  test(`blood group set and clear ${lang}`, async () => {
    await withApp({ hash: '#/profile', lang }, async (page) => {
      await page.waitForSelector('[data-testid=blood-group-select]');
      await page.selectOption('[data-testid=person-picker]', 'p2');
      await page.waitForFunction(() => document.querySelector('[data-testid=blood-group]')?.textContent !== 'A+');
      assert.equal((await page.textContent('[data-testid=blood-group]')).trim(), text.unknown);
      assert.deepEqual(await seriousViolations(page), []);
      assert.ok((await horizontalOverflow(page)) <= 0, 'the profile scrolls sideways');

      await page.selectOption('[data-testid=blood-group-select]', 'O-');
      await page.click('[data-testid=blood-group-save]');
      await page.waitForFunction(() => /O\u2212/.test(document.querySelector('[data-testid=blood-group]').textContent));
      assert.match(await page.textContent('[data-testid=blood-group-status]'), text.saved);
      let sent = await calls(page, 'blood_group_set');
      assert.deepEqual(sent.at(-1).args, { personId: 'p2', group: 'O-' });

      await page.selectOption('[data-testid=blood-group-select]', '');
      await page.click('[data-testid=blood-group-save]');
      await page.waitForFunction((unknown) => document.querySelector('[data-testid=blood-group]').textContent.trim() === unknown, text.unknown);
      sent = await calls(page, 'blood_group_set');
      assert.equal(sent.at(-1).args.group, null);
    });
  });
}

const EXPORT = {
  fr: { progress: /Documents exportés : 1 sur 4/, cancelled: /Export annulé : aucun fichier n'a été écrit/ },
  en: { progress: /Documents exported: 1 of 4/, cancelled: /Export cancelled: no file was written/ },
};

for (const [lang, text] of Object.entries(EXPORT)) {
  test(`export shows progress and can be cancelled ${lang}`, async () => {
    await withApp({ hash: '#/settings', lang, query: 'exportDelay=2000' }, async (page) => {
      await page.waitForSelector('[data-testid=journal]');
      await page.click('[data-testid=export]');
      await page.waitForSelector('[role=progressbar], progress');
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=export-progress]')?.value) === 1);
      assert.match(await page.textContent('.export-progress'), text.progress);
      assert.equal(await page.getAttribute('[data-testid=export-progress]', 'max'), '4');
      assert.deepEqual(await seriousViolations(page), []);
      assert.ok((await horizontalOverflow(page)) <= 0, 'the settings scroll sideways');

      await page.click('[data-testid=export-cancel]');
      await page.waitForFunction(() => !document.querySelector('[data-testid=export-progress]'));
      assert.match(await page.textContent('[data-testid=export-result]'), text.cancelled);
      assert.equal(await page.getAttribute('[data-testid=export-result]', 'role'), 'status');
      assert.equal((await calls(page, 'export_cancel')).length, 1);
    });
  });
}

test('export lists skipped documents', async () => {
  await withApp({ hash: '#/settings', query: 'exportDelay=10&exportSkip=1' }, async (page) => {
    await page.waitForSelector('[data-testid=journal]');
    await page.click('[data-testid=export]');
    await page.waitForSelector('[data-testid=export-skipped]');
    const result = await page.textContent('[data-testid=export-result]');
    assert.match(result, /L'archive a été enregistrée/);
    assert.match(result, /Document doc-3 laissé hors de l'archive : son contenu est endommagé/);
  });
});

const KEYRING = {
  fr: /Le coffre reste utilisable avec votre phrase de passe.*GNOME Keyring/,
  en: /The vault stays usable with your passphrase.*GNOME Keyring/,
};

for (const [lang, expected] of Object.entries(KEYRING)) {
  test(`keyring failure shows a warning ${lang}`, async () => {
    await withApp({ query: 'state=locked&keyring=fail', lang }, async (page) => {
      await page.fill('#passphrase', await page.evaluate(() => window.__carnet.passphrase));
      await page.check('#unlock-remember');
      await page.click('[data-testid=unlock-submit]');
      await page.waitForSelector('[data-testid=device-warning]');
      assert.match(await page.textContent('[data-testid=device-warning]'), expected);
      // The vault is open behind the warning, on the home summary.
      await page.waitForSelector('[data-testid=home-person]');
      assert.deepEqual(await seriousViolations(page), []);
      await page.click('[data-testid=device-warning] button');
      assert.equal(await page.locator('[data-testid=device-warning]').count(), 0);
    });
  });
}

test('unlock without keyring failure shows no warning', async () => {
  await withApp({ query: 'state=locked' }, async (page) => {
    await page.fill('#passphrase', await page.evaluate(() => window.__carnet.passphrase));
    await page.check('#unlock-remember');
    await page.click('[data-testid=unlock-submit]');
    await page.waitForSelector('[data-testid=home-person]');
    assert.equal(await page.locator('[data-testid=device-warning]').count(), 0);
  });
});
