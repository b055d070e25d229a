/**
 * The agenda and home screens over the mocked IPC, with the page's clock fixed on
 * Wednesday 2026-03-25, in the week that ends with the switch to summer time on the 29th.
 * Every view is checked in French and English at 1280×800 and 360×800 with axe. Then
 * come creating, editing and deleting events, the dialog's focus and errors, keyboard
 * navigation, the person filter, `.ics` import, prevention planning and the
 * notification settings.
 *
 * The mock's events (tests/mock-agenda.ts) sit around that day: Léo's "Visite des 3 ans"
 * on Friday the 27th at 09:30, Jeanne's all-day "Prise de sang" on the 30th, and
 * Camille's weekly "Kinésithérapie" at 18:00 from the 18th, six times.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { horizontalOverflow, openApp, seriousViolations, shotsDir, start } from './harness.mjs';

const NOW = '2026-03-25T10:00:00';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

async function withAgenda(options, body) {
  const app = await openApp(env, { now: NOW, hash: '#/agenda', ...options });
  try {
    if ((options.hash ?? '#/agenda') === '#/agenda') await app.page.waitForSelector('[data-testid=agenda-events]');
    await body(app.page);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.context.close();
  }
}

async function calls(page, cmd) {
  return page.evaluate((name) => window.__carnet.calls.filter((c) => c.cmd === name).map((c) => c.args), cmd);
}

async function activeTestId(page) {
  return page.evaluate(() => document.activeElement?.closest('[data-testid]')?.dataset.testid ?? null);
}

/** Opens the event of `title` from the chosen day's list in the month view. */
async function openFromDay(page, day, title) {
  await page.click(`[data-day="${day}"]`);
  await page.click(`[data-testid=agenda-day] [data-testid=agenda-event]:has-text("${title}")`);
  await page.waitForSelector('[data-testid=event-dialog][open]');
}

const VIEWS = [
  { name: 'agenda-month', ready: '[data-testid=agenda-month]' },
  { name: 'agenda-week', ready: '[data-testid=agenda-week]', go: (page) => page.click('[data-testid=view-week]') },
  { name: 'agenda-list', ready: '[data-testid=agenda-list]', go: (page) => page.click('[data-testid=view-list]') },
  {
    name: 'agenda-dialog',
    ready: '[data-testid=event-dialog][open]',
    go: async (page) => {
      await page.click('[data-testid=agenda-new]');
      await page.click('[data-testid=event-save]');
      await page.waitForSelector('[data-testid=field-error-title]');
    },
  },
  {
    name: 'agenda-delete',
    ready: '[data-testid=delete-occurrence]',
    go: async (page) => {
      await openFromDay(page, '2026-03-25', 'Kinésithérapie');
      await page.click('[data-testid=event-delete]');
    },
  },
  { name: 'home', hash: '', ready: '[data-testid=home-person]' },
];

for (const view of VIEWS) {
  for (const lang of ['fr', 'en']) {
    for (const size of ['desktop', 'phone']) {
      test(`${view.name} ${lang} ${size}`, async () => {
        await withAgenda({ lang, size, hash: view.hash ?? '#/agenda' }, async (page) => {
          await view.go?.(page);
          await page.waitForSelector(view.ready);
          assert.equal(await page.getAttribute('html', 'lang'), lang);
          assert.deepEqual(await seriousViolations(page), []);
          assert.ok((await horizontalOverflow(page)) <= 0, 'the page scrolls sideways');
          await page.screenshot({ path: `${shotsDir}${view.name}-${lang}-${size}.png`, fullPage: true });
        });
      });
    }
  }
}

test('month view at 360 pixels keeps days usable', async () => {
  await withAgenda({ size: 'phone' }, async (page) => {
    const box = await page.locator('[data-day="2026-03-27"]').boundingBox();
    assert.ok(box.width >= 40, `day button ${box.width} pixels wide`);
    assert.ok(box.height >= 44, `day button ${box.height} pixels high`);
    // The event shows as the person's initials, not by colour alone.
    assert.match(await page.textContent('[data-day="2026-03-27"]'), /LM/);
    await page.click('[data-day="2026-03-27"]');
    assert.match(await page.textContent('[data-testid=agenda-day]'), /Visite des 3 ans/);
    assert.match(await page.textContent('[data-testid=agenda-day]'), /Léo Martin/);
  });
});

test('create an appointment', async () => {
  await withAgenda({}, async (page) => {
    await page.click('[data-testid=agenda-new]');
    await page.waitForSelector('[data-testid=event-dialog][open]');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ev-title');
    await page.fill('#ev-title', 'Orthophoniste');
    await page.selectOption('#ev-person', 'p2');
    await page.fill('#ev-date', '2026-03-26');
    await page.fill('#ev-start-time', '14:00');
    await page.fill('#ev-end-time', '14:45');
    await page.check('text=30 minutes avant');
    await page.selectOption('#ev-frequency', 'weekly');
    await page.fill('#ev-count', '3');
    await page.click('[data-testid=event-save]');
    await page.waitForSelector('[data-testid=event-dialog]', { state: 'detached' });

    const [args] = await calls(page, 'event_create');
    assert.equal(args.event.title, 'Orthophoniste');
    assert.equal(args.event.personId, 'p2');
    assert.equal(args.event.start, '2026-03-26T14:00');
    assert.equal(args.event.end, '2026-03-26T14:45');
    assert.deepEqual(args.event.alarms, [30]);
    assert.deepEqual(args.event.recurrence, { frequency: 'weekly', count: 3 });
    assert.match(await page.textContent('[data-testid=agenda-notice]'), /Rendez-vous enregistré/);
    assert.match(await page.getAttribute('[data-day="2026-04-02"]', 'aria-label'), /1 rendez-vous/);
    assert.equal(await activeTestId(page), 'agenda-new', 'focus returns to the button that opened the dialog');
  });
});

test('errors show under their field in English', async () => {
  await withAgenda({ lang: 'en' }, async (page) => {
    await page.click('[data-testid=agenda-new]');
    await page.click('[data-testid=event-save]');
    await page.waitForSelector('[data-testid=field-error-title]');
    assert.match(await page.textContent('[data-testid=field-error-title]'), /Enter a title/);
    assert.equal(await page.getAttribute('#ev-title', 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute('#ev-title', 'aria-describedby'), 'err-title');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ev-title');

    await page.fill('#ev-title', 'Dentist');
    await page.fill('#ev-start-time', '10:00');
    await page.fill('#ev-end-time', '09:00');
    await page.click('[data-testid=event-save]');
    await page.waitForSelector('[data-testid=field-error-end]');
    assert.match(await page.textContent('[data-testid=field-error-end]'), /The end is before the start/);
    assert.equal(await page.locator('[data-testid=field-error-title]').count(), 0);
    assert.deepEqual(await calls(page, 'event_create'), []);
  });
});

test('edit an event and give it to another person', async () => {
  await withAgenda({}, async (page) => {
    await openFromDay(page, '2026-03-27', 'Visite des 3 ans');
    assert.equal(await page.inputValue('#ev-title'), 'Visite des 3 ans');
    assert.equal(await page.inputValue('#ev-start-time'), '09:30');
    assert.equal(await page.inputValue('#ev-practitioner'), 'Dr Alice Durand');
    await page.fill('#ev-title', 'Visite de contrôle');
    await page.selectOption('#ev-person', 'p1');
    await page.click('[data-testid=event-save]');
    await page.waitForSelector('[data-testid=event-dialog]', { state: 'detached' });

    const [args] = await calls(page, 'event_update');
    assert.equal(args.personId, 'p2');
    assert.equal(args.uid, 'visite-3-ans@mock');
    assert.equal(args.event.personId, 'p1');
    const day = await page.textContent('[data-testid=agenda-day]');
    assert.match(day, /Visite de contrôle/);
    assert.match(day, /Camille Martin/);
  });
});

test('delete one occurrence of a recurring event', async () => {
  await withAgenda({}, async (page) => {
    await openFromDay(page, '2026-03-25', 'Kinésithérapie');
    await page.click('[data-testid=event-delete]');
    assert.match(await page.textContent('[data-testid=event-dialog] h2'), /Supprimer « Kinésithérapie »/);
    await page.click('[data-testid=delete-occurrence]');
    await page.waitForSelector('[data-testid=event-dialog]', { state: 'detached' });

    const [args] = await calls(page, 'event_delete');
    assert.deepEqual(args, { personId: 'p1', uid: 'kine@mock', occurrence: '2026-03-25T18:00:00' });
    assert.match(await page.textContent('[data-testid=agenda-day]'), /Rien de prévu/);
    assert.match(await page.getAttribute('[data-day="2026-04-01"]', 'aria-label'), /1 rendez-vous/);
  });
});

test('delete a one-off event after confirmation', async () => {
  await withAgenda({}, async (page) => {
    await openFromDay(page, '2026-03-30', 'Prise de sang');
    await page.click('[data-testid=event-delete]');
    assert.equal(await page.locator('[data-testid=delete-occurrence]').count(), 0);
    await page.click('[data-testid=delete-series]');
    await page.waitForSelector('[data-testid=event-dialog]', { state: 'detached' });
    const [args] = await calls(page, 'event_delete');
    assert.equal(args.uid, 'prise-de-sang@mock');
    assert.equal(args.occurrence, undefined);
    assert.match(await page.getAttribute('[data-day="2026-03-30"]', 'aria-label'), /0 rendez-vous/);
  });
});

test('moving the date moves the end', async () => {
  await withAgenda({}, async (page) => {
    await openFromDay(page, '2026-03-30', 'Prise de sang');
    assert.equal(await page.inputValue('#ev-end-date'), '2026-03-30');
    await page.fill('#ev-date', '2026-04-02');
    assert.equal(await page.inputValue('#ev-end-date'), '2026-04-02');
    await page.click('[data-testid=event-save]');
    await page.waitForSelector('[data-testid=event-dialog]', { state: 'detached' });
    const [args] = await calls(page, 'event_update');
    assert.equal(args.event.start, '2026-04-02');
    assert.equal(args.event.end, '2026-04-02');
  });
});

test('dialog keeps focus and closes on Escape', async () => {
  await withAgenda({}, async (page) => {
    await page.click('[data-testid=agenda-new]');
    await page.waitForSelector('[data-testid=event-dialog][open]');
    for (let i = 0; i < 40; i += 1) {
      await page.keyboard.press('Tab');
      const inside = await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')));
      assert.ok(inside, `focus left the dialog after ${i + 1} tabs`);
    }
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=event-dialog]', { state: 'detached' });
    assert.equal(await activeTestId(page), 'agenda-new');
    assert.deepEqual(await calls(page, 'event_create'), []);
  });
});

test('locking clears the agenda and its dialog', async () => {
  await withAgenda({}, async (page) => {
    await openFromDay(page, '2026-03-27', 'Visite des 3 ans');
    await page.evaluate(() => window.__carnet.emit('vault-locked', null));
    await page.waitForSelector('[data-testid=unlock-submit]');
    const html = await page.content();
    for (const text of ['Visite des 3 ans', 'Dr Alice Durand', 'Kinésithérapie', 'Léo Martin']) {
      assert.ok(!html.includes(text), `"${text}" is still in the DOM after lock`);
    }
    assert.equal(await page.locator('dialog').count(), 0);
  });
});

test('arrow keys move the focused day', async () => {
  await withAgenda({}, async (page) => {
    await page.focus('[data-day="2026-03-25"]');
    const focused = () => page.evaluate(() => document.activeElement.dataset.day);
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(), '2026-03-26');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), '2026-04-02');
    assert.match(await page.textContent('[data-testid=agenda-period]'), /avril 2026/);
    await page.keyboard.press('Home');
    assert.equal(await focused(), '2026-03-30');
    await page.keyboard.press('PageUp');
    assert.equal(await focused(), '2026-02-28');
    assert.match(await page.textContent('[data-testid=agenda-period]'), /février 2026/);
    // Only the focused day is in the tab order.
    assert.equal(await page.locator('[data-testid=agenda-month] button[tabindex="0"]').count(), 1);
  });
});

test('switch views and move by week', async () => {
  await withAgenda({ lang: 'en' }, async (page) => {
    await page.click('[data-testid=view-week]');
    await page.waitForSelector('[data-testid=agenda-week]');
    assert.match(await page.textContent('[data-testid=agenda-period]'), /Week of Monday,? 23 March 2026/);
    assert.match(await page.textContent('[data-testid=agenda-week]'), /Visite des 3 ans/);
    await page.click('[data-testid=agenda-next]');
    assert.match(await page.textContent('[data-testid=agenda-period]'), /30 March 2026/);
    assert.match(await page.textContent('[data-testid=agenda-week]'), /Prise de sang/);
    await page.focus('[data-testid=agenda-week] button[tabindex="0"]');
    // The week moved with the chosen day, from Wednesday the 25th to Wednesday 1 April.
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.day), '2026-04-02');

    await page.click('[data-testid=view-list]');
    await page.waitForSelector('[data-testid=agenda-list]');
    await page.click('[data-testid=agenda-today]');
    const list = await page.textContent('[data-testid=agenda-list]');
    assert.ok(list.indexOf('Visite des 3 ans') < list.indexOf('Prise de sang'), list);
    assert.equal(await page.isChecked('#view-list'), true);
  });
});

test('person filter hides a person', async () => {
  await withAgenda({}, async (page) => {
    await page.click('[data-testid=view-list]');
    assert.match(await page.textContent('[data-testid=agenda-list]'), /Visite des 3 ans/);
    await page.uncheck('[data-testid=filter-p2]');
    const list = await page.textContent('[data-testid=agenda-list]');
    assert.ok(!list.includes('Visite des 3 ans'), list);
    assert.match(list, /Prise de sang/);
  });
});

test('import an .ics file reports rejections', async () => {
  await withAgenda({}, async (page) => {
    await page.click('.import summary');
    await page.selectOption('#import-person', 'p3');
    await page.click('[data-testid=agenda-import]');
    await page.waitForSelector('[data-testid=agenda-import-summary]');
    const summary = await page.textContent('[data-testid=agenda-import-summary]');
    assert.match(summary, /Rendez-vous importés : 1 ; mis à jour : 0 ; ignorés : 1/);
    assert.match(summary, /ligne 12/);
    assert.match(summary, /pas de date de début/);
    const [args] = await calls(page, 'agenda_import');
    assert.equal(args.personId, 'p3');
  });
});

test('plan a prevention check-up', async () => {
  await withAgenda({}, async (page) => {
    await page.selectOption('#agenda-person', 'p2');
    await page.waitForSelector('[data-testid=agenda-suggestions]');
    await page.click('[data-testid=suggestion-plan] >> nth=0');
    await page.waitForSelector('[data-testid=event-dialog][open]');
    assert.match(await page.inputValue('#ev-title'), /Examen de santé obligatoire à 3 ans/);
    await page.fill('#ev-date', '2026-04-08');
    await page.click('[data-testid=event-save]');
    await page.waitForSelector('[data-testid=event-dialog]', { state: 'detached' });
    const [decision] = await calls(page, 'prevention_decide');
    assert.deepEqual(decision, { personId: 'p2', suggestionId: 'checkup-3y', decision: 'plan', on: '2026-04-08' });
    await page.waitForFunction(() => /prévu le 8 avril 2026/.test(document.querySelector('[data-testid=agenda-suggestions]').textContent));

    await page.click('[data-testid=suggestion-dismiss] >> nth=1');
    await page.waitForFunction(() => !/M'T dents/.test(document.querySelector('[data-testid=agenda-suggestions]').textContent));
    assert.match(await page.textContent('[data-testid=agenda-notice]'), /Suggestion ignorée/);
  });
});

test('home summary is the landing view', async () => {
  await withAgenda({ hash: '' }, async (page) => {
    await page.waitForSelector('[data-testid=home-person]');
    assert.equal(await page.textContent('main h1'), 'Accueil');
    assert.equal(await page.locator('[data-testid=home-person]').count(), 3);
    const leo = await page.textContent('[data-testid=home-person]:has-text("Léo Martin")');
    assert.match(leo, /Visite des 3 ans/);
    assert.match(leo, /27 mars 2026 à 09:30/);
    assert.match(leo, /Rappel DTCaP — à faire\s*obligatoire/);
    assert.match(leo, /Examen de santé obligatoire à 3 ans/);
    await page.click('[data-testid=nav-documents]');
    await page.waitForSelector('[data-testid=document-row] button');
  });
});

test('empty vault lands on the family screen', async () => {
  await withAgenda({ hash: '', query: 'people=0&docs=0' }, async (page) => {
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent === 'Ma famille');
    assert.equal(await page.locator('[data-testid=home-person]').count(), 0);
  });
});

test('notification details are off by default', async () => {
  await withAgenda({ hash: '#/settings' }, async (page) => {
    await page.waitForSelector('#notifications-details');
    assert.equal(await page.isChecked('#notifications-enabled'), true);
    assert.equal(await page.isChecked('#notifications-details'), false);
    await page.check('#notifications-details');
    await page.waitForFunction(() => window.__carnet.calls.some((c) => c.cmd === 'notifications_set'));
    const [args] = await calls(page, 'notifications_set');
    assert.deepEqual(args, { showDetails: true });
  });
});
