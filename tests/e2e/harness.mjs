/**
 * Shared machinery of the app window test and benchmark: a temporary home, the process
 * group that runs Xvfb, D-Bus, tauri-driver and the app, a minimal W3C WebDriver client,
 * waits, screenshots, named steps and the i18n catalogue.
 *
 * Needs Xvfb, dbus-run-session, WebKitWebDriver (Debian packages xvfb, dbus,
 * webkit2gtk-driver) and tauri-driver (`cargo install tauri-driver --version ^2
 * --locked`). It speaks WebDriver over HTTP with Node's fetch, so it needs no npm package.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const root = resolve(import.meta.dirname, '../..');
export const artifacts = `${root}/artifacts/e2e`;

/** Upper bound of each wait, in seconds. A first run after a build once took over a minute on 2 loaded cores. */
export const WAIT_SECONDS = 120;
const POLL_MS = 100;
/** With CARNET_E2E_TRACE=1, every WebDriver call is printed to stderr with its duration. */
const TRACE = process.env.CARNET_E2E_TRACE === '1';
/** Key of an element reference in W3C WebDriver responses. */
const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

/** Returns the app binary named on the command line, else the debug build under CARGO_TARGET_DIR. */
export function applicationPath(argument) {
  const path = resolve(argument ?? `${process.env.CARGO_TARGET_DIR ?? `${root}/target`}/debug/carnet-app`);
  if (!existsSync(path)) {
    console.error(`app binary not found: ${path}; build it with cargo build -p carnet-app --features tauri/custom-protocol`);
    process.exit(2);
  }
  return path;
}

// Cleanup actions, run once in reverse order on normal exit, on SIGINT or SIGTERM and on
// an uncaught error, so no Xvfb, driver or temporary home outlives a run.
const cleanups = [];
let cleanedUp = false;

function runCleanups() {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const cleanup of cleanups.reverse()) {
    try {
      cleanup();
    } catch (error) {
      console.error(`cleanup failed: ${error.message}`);
    }
  }
}

process.on('exit', runCleanups);
for (const [signal, status] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(signal, () => {
    console.error(`${signal} received: stopping the app and the driver`);
    runCleanups();
    process.exit(status);
  });
}
process.on('uncaughtException', (error) => {
  console.error(`uncaught error: ${error.stack ?? error}`);
  runCleanups();
  process.exit(1);
});
process.on('unhandledRejection', (error) => {
  console.error(`unhandled rejection: ${error?.stack ?? error}`);
  runCleanups();
  process.exit(1);
});

/** Blocks the thread for `ms` milliseconds; signal and exit handlers cannot await. */
function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Creates a fresh temporary home (XDG data, config and cache) removed at exit, so a
 * previous run's vault or language choice cannot change this one.
 */
export function temporaryHome(prefix = 'carnet-e2e-') {
  const home = mkdtempSync(`${tmpdir()}/${prefix}`);
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  return {
    home,
    env: {
      XDG_DATA_HOME: `${home}/data`,
      XDG_CONFIG_HOME: `${home}/config`,
      XDG_CACHE_HOME: `${home}/cache`,
    },
  };
}

/** Returns a TCP port that was free on 127.0.0.1 a moment ago. */
async function freePort() {
  const server = createServer();
  await new Promise((done, fail) => server.once('error', fail).listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

/**
 * Starts Xvfb (on a free display), dbus-run-session and tauri-driver in one new process
 * group and returns the driver's URL, the group id and a function that stops the group. Killing dbus-run-session alone
 * does not kill its children, so the group is what gets killed. The driver ports are
 * picked free, so several runs can share a machine.
 */
export async function startStack(env) {
  const port = await freePort();
  const nativePort = await freePort();
  const stack = spawn(
    'bash',
    [
      '-c',
      `display_file=$(mktemp)
       Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$display_file" 2>/dev/null &
       for i in $(seq 1 40); do [ -s "$display_file" ] && break; sleep 0.25; done
       display=$(head -n 1 "$display_file")
       rm -f "$display_file"
       export DISPLAY=":$display" WEBKIT_DISABLE_DMABUF_RENDERER=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 LIBGL_ALWAYS_SOFTWARE=1
       exec dbus-run-session -- tauri-driver --port ${port} --native-port ${nativePort} --native-driver /usr/bin/WebKitWebDriver`,
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } },
  );
  const group = stack.pid;
  cleanups.push(() => stopGroup(group));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('tauri-driver to listen', () => fetch(`${url}/status`).then((r) => r.ok));
  return { url, group, stop: () => stopGroup(group) };
}

/** Sends SIGTERM to the group, waits up to 5 s for it to exit, then sends SIGKILL. */
function stopGroup(group) {
  try {
    process.kill(-group, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(-group, 0);
    } catch {
      return;
    }
    sleepSync(100);
  }
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // The group has exited.
  }
}

/**
 * Polls `probe` until it returns a truthy value and returns that value. A probe that
 * throws counts as not ready. On timeout the error names `what` and the last error.
 */
export async function waitFor(what, probe, seconds = WAIT_SECONDS) {
  const deadline = Date.now() + seconds * 1000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
      last = `last value: ${JSON.stringify(value)}`;
    } catch (error) {
      last = `last error: ${error.message}`;
    }
    await sleep(POLL_MS);
  }
  throw new Error(`timed out after ${seconds} s waiting for ${what} (${last})`);
}

/** A W3C WebDriver session on tauri-driver. */
export class Driver {
  constructor(url) {
    this.url = url;
    this.session = null;
  }

  async call(method, path, body) {
    const started = Date.now();
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (TRACE) console.error(`  webdriver ${method} ${path} ${response.status} in ${Date.now() - started} ms`);
    if (!response.ok) {
      const value = json.value ?? {};
      throw new Error(`${method} ${path} failed: ${value.error ?? response.status}: ${value.message ?? JSON.stringify(value)}`);
    }
    return json.value;
  }

  sessionCall(method, path, body) {
    return this.call(method, `/session/${this.session}${path}`, body);
  }

  /** Launches the app through tauri-driver and opens a session on its window. */
  async start(application) {
    const created = await this.call('POST', '/session', {
      capabilities: { alwaysMatch: { browserName: 'wry', 'tauri:options': { application } } },
    });
    this.session = created.sessionId;
    return created;
  }

  /** Ends the session, which closes the app. Errors are ignored: the app may be gone. */
  async end() {
    if (this.session === null) return;
    await this.sessionCall('DELETE', '').catch(() => undefined);
    this.session = null;
  }

  async element(selector) {
    const found = await this.sessionCall('POST', '/element', { using: 'css selector', value: selector });
    return found[ELEMENT_KEY];
  }

  async elements(selector) {
    const found = await this.sessionCall('POST', '/elements', { using: 'css selector', value: selector });
    return found.map((element) => element[ELEMENT_KEY]);
  }

  async text(selector) {
    return this.sessionCall('GET', `/element/${await this.element(selector)}/text`);
  }

  async click(selector) {
    await this.sessionCall('POST', `/element/${await this.element(selector)}/click`, {});
  }

  /** Types `text` into the element, as key presses. */
  async type(selector, text) {
    await this.sessionCall('POST', `/element/${await this.element(selector)}/value`, { text });
  }

  async enabled(selector) {
    return this.sessionCall('GET', `/element/${await this.element(selector)}/enabled`);
  }

  /** Runs `script`, a function body that reads `args` from `arguments`, in the page and returns its result. */
  execute(script, ...args) {
    return this.sessionCall('POST', '/execute/sync', { script, args });
  }

  /** Runs `script` in the page; it finishes by calling `arguments[arguments.length - 1]`. */
  executeAsync(script, ...args) {
    return this.sessionCall('POST', '/execute/async', { script, args });
  }

  title() {
    return this.sessionCall('GET', '/title');
  }

  /**
   * Returns a PNG of the page. WebKitWebDriver (2.50) sends a screenshot only after the
   * page's next rendering update, and an idle page may have none for minutes. While the
   * request is pending, a transparent outline on <body>, switched on and off every
   * 200 ms, gives the page something to render without changing the picture.
   */
  async screenshot() {
    let pending = true;
    const shot = this.sessionCall('GET', '/screenshot').finally(() => (pending = false));
    const nudge = `const body = document.body;
      body.style.outline = body.style.outline ? '' : '1px solid transparent';`;
    const nudging = (async () => {
      while (pending) {
        await sleep(200);
        if (pending) await this.execute(nudge).catch(() => undefined);
      }
      await this.execute('document.body.style.outline = ""').catch(() => undefined);
    })();
    const png = Buffer.from(await shot, 'base64');
    await nudging;
    return png;
  }

  /** Moves into the iframe matched by `selector`, for the following commands. */
  async enterFrame(selector) {
    const element = await this.element(selector);
    await this.sessionCall('POST', '/frame', { id: { [ELEMENT_KEY]: element } });
  }

  async leaveFrame() {
    await this.sessionCall('POST', '/frame/parent', {});
  }

  /** Returns the page's visible text, shortened, to show what was on screen when a step failed. */
  async visibleText(limit = 600) {
    const text = await this.execute('return document.body ? document.body.innerText : ""');
    const flat = String(text).replace(/\s+/g, ' ').trim();
    return flat.length > limit ? `${flat.slice(0, limit)}…` : flat;
  }
}

/** Writes a screenshot to artifacts/e2e/NAME.png and, when `guideDir` is set, to GUIDE_DIR/NAME.png too. */
export async function capture(driver, name, guideDir) {
  mkdirSync(artifacts, { recursive: true });
  const path = `${artifacts}/${name}.png`;
  writeFileSync(path, await driver.screenshot());
  if (guideDir) {
    mkdirSync(guideDir, { recursive: true });
    copyFileSync(path, `${guideDir}/${name}.png`);
  }
  return path;
}

/** A failed step: the message already names the step, what was expected and what was seen. */
export class StepFailure extends Error {}

/**
 * Runs the named steps of a scenario in order and stops at the first failure. A
 * failure prints the step, the error, the page's visible text and the path of a
 * screenshot saved as artifacts/e2e/failed-<step>.png.
 */
export class Steps {
  constructor(driver) {
    this.driver = driver;
    this.passed = 0;
    this.failed = null;
  }

  async run(name, body) {
    if (this.failed) return;
    const started = Date.now();
    try {
      await body();
      this.passed += 1;
      console.log(`ok - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      this.failed = name;
      const seen = await this.driver.visibleText().catch((e) => `(page text unavailable: ${e.message})`);
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
      const shot = await capture(this.driver, `failed-${slug}`).catch((e) => `(no screenshot: ${e.message})`);
      console.log(`not ok - ${name}: ${error.message}`);
      console.log(`  visible text: ${seen}`);
      console.log(`  screenshot: ${shot}`);
    }
  }
}

/** Throws a StepFailure saying what was expected and what was seen when `condition` is false. */
export function expect(condition, expected, seen) {
  if (!condition) throw new StepFailure(`expected ${expected}, saw ${typeof seen === 'string' ? seen : JSON.stringify(seen)}`);
}

/**
 * Loads the i18n catalogue of `lang` from core/i18n/<lang>/*.json, ui.json first, as the
 * front end merges it, so checks follow wording changes.
 */
export function catalogue(lang) {
  const dir = `${root}/core/i18n/${lang}`;
  const rank = (file) => (file === 'ui.json' ? 0 : 1);
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const merged = {};
  for (const file of files) {
    for (const [key, value] of Object.entries(JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')))) {
      if (typeof value === 'string' && !(key in merged)) merged[key] = value;
    }
  }
  return merged;
}

/**
 * Returns the message `key` of catalogue `messages` in `lang` with its `{name}`
 * placeholders filled, choosing the `.one` or `.other` form when `params.count` is set.
 */
export function message(messages, lang, key, params = {}) {
  let template = messages[key];
  if (template === undefined && typeof params.count === 'number') {
    template = messages[`${key}.${new Intl.PluralRules(lang).select(params.count)}`] ?? messages[`${key}.other`];
  }
  if (template === undefined) throw new Error(`message ${key} is missing from the ${lang} catalogue`);
  const numbers = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB');
  return template.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in params)) return whole;
    return typeof params[name] === 'number' ? numbers.format(params[name]) : String(params[name]);
  });
}
