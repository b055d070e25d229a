/**
 * End-to-end check of the real app: starts Xvfb, D-Bus and tauri-driver in one new
 * process group, opens the Carnet window through WebDriver, reads the first screen,
 * saves a screenshot to artifacts/e2e/first-screen.png, and kills the whole group on exit.
 *
 * Usage: node tests/e2e/app-window.mjs [path/to/carnet-app]
 *
 * The binary must embed ui/dist (built with `--features tauri/custom-protocol`, or by
 * the Tauri CLI). A plain debug build loads the devUrl instead, so run `npm run dev`
 * in ui/ first. Needs Xvfb, dbus-run-session, WebKitWebDriver (Debian packages xvfb,
 * dbus, webkit2gtk-driver) and tauri-driver (`cargo install tauri-driver --version ^2
 * --locked`). It speaks the W3C WebDriver protocol over HTTP directly, so it needs no
 * npm package.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = resolve(import.meta.dirname, '../..');
const application = resolve(process.argv[2] ?? `${process.env.CARGO_TARGET_DIR ?? `${root}/target`}/debug/carnet-app`);
const driverPort = 4444;
const driver = `http://127.0.0.1:${driverPort}`;
/** Passphrase of the throwaway vault each run creates in its temporary home. */
const PASSPHRASE = 'cheval agrafe batterie correcte lune';
/** Upper bound for each wait, in seconds; the loops poll once per 250 ms. */
const WAIT_SECONDS = 120;

if (!existsSync(application)) {
  console.error(`app binary not found: ${application}; build it with cargo build -p carnet-app`);
  process.exit(2);
}

// A fresh data, config and cache home per run, so the language a previous run stored
// in the webview's localStorage does not leak into this one.
const home = mkdtempSync(`${tmpdir()}/carnet-e2e-`);
const env = {
  ...process.env,
  XDG_DATA_HOME: `${home}/data`,
  XDG_CONFIG_HOME: `${home}/config`,
  XDG_CACHE_HOME: `${home}/cache`,
};

// One process group contains Xvfb, dbus-run-session, tauri-driver, WebKitWebDriver and the
// app, so a single kill of the group leaves nothing behind (killing dbus-run-session
// alone does not kill its children). Xvfb -displayfd picks a free display.
const stack = spawn(
  'bash',
  [
    '-c',
    `display_file=$(mktemp)
     Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$display_file" 2>/dev/null &
     for i in $(seq 1 40); do [ -s "$display_file" ] && break; sleep 0.25; done
     display=$(head -n 1 "$display_file")
     export DISPLAY=":$display" WEBKIT_DISABLE_DMABUF_RENDERER=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 LIBGL_ALWAYS_SOFTWARE=1
     exec dbus-run-session -- tauri-driver --port ${driverPort} --native-port 4445 --native-driver /usr/bin/WebKitWebDriver`,
  ],
  { detached: true, stdio: ['ignore', 'ignore', 'inherit'], env },
);

function stopStack() {
  try {
    process.kill(-stack.pid, 'SIGTERM');
  } catch {
    // The group has already exited.
  }
}
process.on('exit', stopStack);

async function call(method, path, body) {
  const response = await fetch(`${driver}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path} failed: ${JSON.stringify(json.value)}`);
  return json.value;
}

async function waitFor(what, probe) {
  for (let i = 0; i < WAIT_SECONDS * 4; i++) {
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // Not ready yet.
    }
    await sleep(250);
  }
  throw new Error(`timed out after ${WAIT_SECONDS} s waiting for ${what}`);
}

async function find(id, selector) {
  const element = await call('POST', `/session/${id}/element`, { using: 'css selector', value: selector });
  return Object.values(element)[0];
}

async function textOf(id, selector) {
  return call('GET', `/session/${id}/element/${await find(id, selector)}/text`);
}

async function click(id, selector) {
  await call('POST', `/session/${id}/element/${await find(id, selector)}/click`, {});
}

let failures = 0;
let checks = 0;
function check(name, condition, detail) {
  checks += 1;
  console.log(`${condition ? 'ok' : 'not ok'} - ${name}${condition ? '' : `: ${detail}`}`);
  if (!condition) failures += 1;
}

try {
  await waitFor('tauri-driver', () => fetch(`${driver}/status`).then((r) => r.ok));
  const session = await call('POST', '/session', {
    capabilities: { alwaysMatch: { browserName: 'wry', 'tauri:options': { application } } },
  });
  const id = session.sessionId;
  try {
    const heading = await waitFor('the first screen', () => textOf(id, 'main h1'));
    const title = await call('GET', `/session/${id}/title`);
    const lang = await call('POST', `/session/${id}/execute/sync`, { script: 'return document.documentElement.lang', args: [] });
    const screenshot = await call('GET', `/session/${id}/screenshot`);
    mkdirSync(`${root}/artifacts/e2e`, { recursive: true });
    writeFileSync(`${root}/artifacts/e2e/first-screen.png`, Buffer.from(screenshot, 'base64'));
    check('window title', /Carnet/.test(title), title);
    check('first screen heading', heading === 'Bienvenue dans Carnet', heading);
    check('page language', lang === 'fr', lang);

    // The capability files grant Carnet's commands and the dialogs only, so a plugin
    // command outside them is rejected.
    const denied = await call('POST', `/session/${id}/execute/async`, {
      script: `const done = arguments[arguments.length - 1];
        window.__TAURI_INTERNALS__.invoke('plugin:notification|is_permission_granted')
          .then(() => done('allowed'), (error) => done('denied: ' + error));`,
      args: [],
    });
    check('command outside the capabilities is denied', /not allowed/.test(denied), denied);

    // One click switches the language; the translated heading proves the catalogue loaded.
    await click(id, '[data-testid=language-switch]');
    const english = await waitFor('the English heading', async () => {
      const text = await textOf(id, 'main h1');
      return text === 'Welcome to Carnet' ? text : null;
    });
    check('language switch', english === 'Welcome to Carnet', english);

    // Typing a passphrase calls passphrase_check in the real shell. Whatever it returns
    // (a score, or a translated error while the vault is not wired), no raw key shows.
    await click(id, '[data-testid=choose-create]');
    const input = await find(id, '#new-passphrase');
    await call('POST', `/session/${id}/element/${input}/value`, { text: PASSPHRASE });
    const strength = await waitFor('the passphrase check', () => textOf(id, '[data-testid=strength]'));
    check('passphrase check shown', !/\b(error|passphrase)\.[a-z_]+/.test(strength), strength);

    // Creating the vault runs Argon2 in the shell, then the recovery kit is shown once
    // and the family screen follows.
    const confirm = await find(id, '#confirm-passphrase');
    await call('POST', `/session/${id}/element/${confirm}/value`, { text: PASSPHRASE });
    const submit = await waitFor('an enabled create button', async () => {
      const element = await find(id, '[data-testid=create-submit]');
      return (await call('GET', `/session/${id}/element/${element}/enabled`)) ? element : null;
    });
    await call('POST', `/session/${id}/element/${submit}/click`, {});
    const kit = await waitFor('the recovery kit', () => textOf(id, '[data-testid=recovery-kit]'));
    check('recovery kit shown', kit.trim().length >= 20, `${kit.length} characters`);
    await click(id, '#kit-saved');
    await click(id, '[data-testid=kit-done]');
    const family = await waitFor('the family screen', async () => {
      const text = await textOf(id, 'main h1');
      return text === 'My family' ? text : null;
    });
    check('family screen after creation', family === 'My family', family);
  } finally {
    await call('DELETE', `/session/${id}`).catch(() => undefined);
  }
} catch (error) {
  check('end-to-end run', false, error.message);
}

console.log(`${checks - failures} passed, ${failures} failed`);
stopStack();

// Waits up to 5 s for the group to exit after SIGTERM, then kills what is left.
for (let i = 0; i < 20; i++) {
  try {
    process.kill(-stack.pid, 0);
  } catch {
    break;
  }
  await sleep(250);
}
try {
  process.kill(-stack.pid, 'SIGKILL');
} catch {
  // The group has exited.
}
rmSync(home, { recursive: true, force: true });
process.exit(failures === 0 ? 0 : 1);
