/**
 * Benchmark of the real Carnet window under Xvfb, run by hand (not by scripts/test):
 *
 * - cold start to the unlock screen (median of several launches), against the same
 *   launch reaching `document.readyState == "complete"`;
 * - unlock to the first document list of a 10,000-document vault, against the
 *   `vault_unlock` command alone, measured in the same window;
 * - resident memory of the app's process tree (the app, WebKitWebProcess,
 *   WebKitNetworkProcess): RSS and PSS from /proc, idle locked, idle unlocked on a
 *   small vault, and with the 10,000-document vault open and its list scrolled to the end.
 *
 * Usage:
 *   cargo build --release -p carnet-core --example fill-vault
 *   (cd ui && npm ci && npm run build)
 *   cargo build --release -p carnet-app --features tauri/custom-protocol
 *   node tests/e2e/app-bench.mjs "$CARGO_TARGET_DIR"/release/carnet-app
 *
 * Environment: CARNET_BENCH_FILL (the fill-vault binary, default
 * $CARGO_TARGET_DIR/release/examples/fill-vault), CARNET_BENCH_DOCS (default 10000),
 * CARNET_BENCH_LAUNCHES (cold starts, default 5), CARNET_BENCH_IDLE (seconds of idle
 * before a memory sample, default 5). Times come from the webview's clock and the
 * kernel's process start time, both wall-clock, on the same machine.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { applicationPath, Driver, root, startStack, temporaryHome, waitFor } from './harness.mjs';

const application = applicationPath(process.argv[2]);
const targetDir = process.env.CARGO_TARGET_DIR ?? `${root}/target`;
const fillVault = process.env.CARNET_BENCH_FILL ?? `${targetDir}/release/examples/fill-vault`;
const DOCUMENTS = Number(process.env.CARNET_BENCH_DOCS ?? 10_000);
const LAUNCHES = Number(process.env.CARNET_BENCH_LAUNCHES ?? 5);
const IDLE_SECONDS = Number(process.env.CARNET_BENCH_IDLE ?? 5);
/** The generator's default passphrase. */
const PASSPHRASE = 'demo-carnet-cheval-agrafe-pile';
/** Documents in the small vault of the "idle unlocked" sample. */
const SMALL_DOCUMENTS = 20;

if (!existsSync(fillVault)) {
  console.error(`fill-vault not found: ${fillVault}; build it with cargo build --release -p carnet-core --example fill-vault`);
  process.exit(2);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (value) => `${Math.round(value)} ms`;
const mb = (kib) => `${(kib / 1024).toFixed(0)} MB`;

// ---- Vaults -------------------------------------------------------------------------

/**
 * Fills a vault with `documents` generated documents and copies it to `home`'s data
 * directory, where the app looks for its vault. The generator syncs every chunk and
 * every transaction, so it writes on /dev/shm when that exists. The app then reads the
 * copy from the ordinary disk.
 */
function makeVault(home, documents) {
  const scratch = mkdtempSync(`${existsSync('/dev/shm') ? '/dev/shm' : tmpdir()}/carnet-fill-`);
  try {
    const output = execFileSync(fillVault, [`${scratch}/vault`, String(documents), PASSPHRASE], { encoding: 'utf8' });
    process.stdout.write(`  fill-vault: ${output}`);
    const target = `${home}/data/carnet/vault`;
    mkdirSync(`${home}/data/carnet`, { recursive: true });
    cpSync(`${scratch}/vault`, target, { recursive: true });
    return target;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// ---- Processes and memory -----------------------------------------------------------

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const BOOT_TIME_MS = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))[1]) * 1000;

/** Fields of /proc/PID/stat after the command name, which may contain spaces. */
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ') };
}

function processes() {
  const list = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { name, fields } = statFields(entry);
      // fields[1] is the parent pid, fields[2] the process group, fields[19] the start time in clock ticks since boot.
      list.push({ pid: Number(entry), name, ppid: Number(fields[1]), group: Number(fields[2]), start: Number(fields[19]) });
    } catch {
      // The process exited while the list was read.
    }
  }
  return list;
}

/** Returns the app process started by this run's driver (in process group `group`). */
function appProcess(group) {
  return processes().find((p) => p.group === group && p.name === 'carnet-app');
}

/** Wall-clock time at which the process started, in ms since the epoch (10 ms resolution). */
function startedAt(process) {
  return BOOT_TIME_MS + (process.start / CLOCK_TICKS) * 1000;
}

/** Returns the app and every process below it, with RSS and PSS in KiB. */
function treeMemory(appPid) {
  const all = processes();
  const tree = [];
  const queue = [appPid];
  while (queue.length > 0) {
    const pid = queue.shift();
    const process = all.find((p) => p.pid === pid);
    if (!process) continue;
    tree.push(process);
    queue.push(...all.filter((p) => p.ppid === pid).map((p) => p.pid));
  }
  return tree.map((process) => {
    const status = readFileSync(`/proc/${process.pid}/status`, 'utf8');
    let pss = null;
    try {
      pss = Number(/^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${process.pid}/smaps_rollup`, 'utf8'))[1]);
    } catch {
      // smaps_rollup needs Linux 4.14 and the right to read the process.
    }
    // The kernel's name is cut at 15 characters (WebKitNetworkPr), so the program path names it.
    const program = readFileSync(`/proc/${process.pid}/cmdline`, 'utf8').split('\0')[0];
    return { name: program.split('/').pop() || process.name, rss: Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)[1]), pss };
  });
}

/** Waits `IDLE_SECONDS`, then takes three samples one second apart and keeps the median total. */
async function idleMemory(appPid) {
  await sleep(IDLE_SECONDS * 1000);
  const samples = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) await sleep(1000);
    samples.push(treeMemory(appPid));
  }
  const total = (sample, field) => sample.reduce((sum, p) => sum + (p[field] ?? 0), 0);
  samples.sort((a, b) => total(a, 'rss') - total(b, 'rss'));
  const chosen = samples[1];
  return { processes: chosen, rss: total(chosen, 'rss'), pss: total(chosen, 'pss') };
}

function describeMemory(label, memory) {
  const parts = memory.processes.map((p) => `${p.name} ${mb(p.rss)}${p.pss === null ? '' : ` (PSS ${mb(p.pss)})`}`);
  console.log(`  ${label}: RSS ${mb(memory.rss)}, PSS ${mb(memory.pss)} — ${parts.join(', ')}`);
}

// ---- In-page probes -----------------------------------------------------------------

/**
 * Waits in the page until `selector` matches, then for two animation frames (the
 * frame that paints it), and returns the wall-clock time then, whether it was already
 * there, and the navigation timing of the page.
 */
const WAIT_FOR_SCREEN = `
  const [selector, done] = [arguments[0], arguments[arguments.length - 1]];
  const navigation = performance.getEntriesByType('navigation')[0];
  const page = {
    origin: performance.timeOrigin,
    domComplete: navigation ? performance.timeOrigin + navigation.domComplete : null,
    loadEnd: navigation ? performance.timeOrigin + navigation.loadEventEnd : null,
  };
  const finish = (already) =>
    requestAnimationFrame(() => requestAnimationFrame(() => done({ ...page, ready: Date.now(), already })));
  if (document.querySelector(selector)) return finish(true);
  const observer = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    observer.disconnect();
    finish(false);
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });`;

/**
 * Submits the unlock form, waits for the vault navigation, opens the documents screen
 * through its link and waits until a document row is painted. Returns the elapsed ms.
 */
const UNLOCK_TO_LIST = `
  const done = arguments[arguments.length - 1];
  const started = performance.now();
  const until = (selector) => new Promise((resolve) => {
    const found = () => document.querySelector(selector);
    if (found()) return resolve(found());
    const observer = new MutationObserver(() => {
      if (!found()) return;
      observer.disconnect();
      resolve(found());
    });
    observer.observe(document.documentElement, { childList: true, subtree: true });
  });
  document.querySelector('[data-testid=unlock-submit]').click();
  until('[data-testid=nav-documents]')
    .then((link) => { link.click(); return until('[data-testid=document-row]'); })
    .then(() => requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - started))));`;

/** Times the vault_unlock command alone, then locks again through vault_lock. */
const RAW_UNLOCK = `
  const [passphrase, done] = [arguments[0], arguments[arguments.length - 1]];
  const invoke = window.__TAURI_INTERNALS__.invoke;
  const started = performance.now();
  invoke('vault_unlock', { passphrase, remember: false })
    .then(() => {
      const elapsed = performance.now() - started;
      return invoke('vault_lock').then(() => done(elapsed));
    })
    .catch((error) => done('failed: ' + JSON.stringify(error)));`;

/**
 * Scrolls the document list from top to bottom one viewport at a time. At each
 * position it waits until no placeholder row is left. Returns the number of
 * positions, the index of the last row and the elapsed ms.
 */
const SCROLL_LIST = `
  const done = arguments[arguments.length - 1];
  const viewport = document.querySelector('[data-testid=virtual-viewport]');
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const started = performance.now();
  (async () => {
    let positions = 0;
    for (let top = 0; ; top += viewport.clientHeight) {
      viewport.scrollTop = top;
      positions += 1;
      await frame();
      for (let i = 0; i < 600 && viewport.querySelector('[aria-busy=true]'); i++) await frame();
      if (top + viewport.clientHeight >= viewport.scrollHeight) break;
    }
    // The list follows scrollTop one animation frame late, so the last position gets a few more frames.
    for (let i = 0; i < 10 || (i < 600 && viewport.querySelector('[aria-busy=true]')); i++) await frame();
    const last = Math.max(...[...viewport.querySelectorAll('[data-index]')].map((li) => Number(li.dataset.index)));
    done({ positions, last, elapsed: performance.now() - started });
  })();`;

// ---- Runs ---------------------------------------------------------------------------

/** Launches the app, waits for the unlock screen and returns the driver, app pid and timings. */
async function launch(url, group) {
  const driver = new Driver(url);
  await driver.start(application);
  const app = await waitFor('the app process', () => appProcess(group), 30);
  const screen = await driver.executeAsync(WAIT_FOR_SCREEN, '[data-testid=unlock-submit]');
  const start = startedAt(app);
  return {
    driver,
    pid: app.pid,
    toUnlockScreen: screen.ready - start,
    toLoadComplete: screen.loadEnd - start,
    toNavigation: screen.origin - start,
    already: screen.already,
  };
}

async function phase(label, documents, body) {
  console.log(`\n${label}: vault of ${documents} documents`);
  const { home, env } = temporaryHome('carnet-bench-');
  makeVault(home, documents);
  const stack = await startStack(env);
  try {
    await body(stack);
  } finally {
    stack.stop();
  }
}

const report = {};
console.log(`Carnet app benchmark: ${cpus().length} cores, ${application}`);

await phase('Cold start and idle memory', SMALL_DOCUMENTS, async ({ url, group }) => {
  const runs = [];
  for (let i = 0; i < LAUNCHES; i++) {
    const run = await launch(url, group);
    runs.push(run);
    console.log(
      `  launch ${i + 1}: unlock screen painted ${ms(run.toUnlockScreen)} after the process started` +
        `${run.already ? ' (already there when the probe ran: an upper bound)' : ''}; ` +
        `page load complete at ${ms(run.toLoadComplete)}, navigation started at ${ms(run.toNavigation)}`,
    );
    if (i < LAUNCHES - 1) await run.driver.end();
  }
  report.unlockScreen = median(runs.map((r) => r.toUnlockScreen));
  report.loadComplete = median(runs.map((r) => r.toLoadComplete));

  const last = runs[runs.length - 1];
  report.locked = await idleMemory(last.pid);
  describeMemory('idle locked', report.locked);
  await last.driver.type('#passphrase', PASSPHRASE);
  await last.driver.executeAsync(UNLOCK_TO_LIST);
  report.unlockedSmall = await idleMemory(last.pid);
  describeMemory(`idle unlocked, ${SMALL_DOCUMENTS} documents listed`, report.unlockedSmall);
  await last.driver.end();
});

await phase('Large vault', DOCUMENTS, async ({ url, group }) => {
  const run = await launch(url, group);
  const { driver, pid } = run;
  report.lockedLarge = await idleMemory(pid);
  describeMemory('idle locked', report.lockedLarge);

  const raw = await driver.executeAsync(RAW_UNLOCK, PASSPHRASE);
  if (typeof raw !== 'number') throw new Error(`vault_unlock ${raw}`);
  report.rawUnlock = raw;
  await driver.type('#passphrase', PASSPHRASE);
  report.unlockToList = await driver.executeAsync(UNLOCK_TO_LIST);
  console.log(`  unlock to the first document list ${ms(report.unlockToList)}; vault_unlock alone ${ms(raw)}`);

  report.unlockedLarge = await idleMemory(pid);
  describeMemory('idle unlocked, top of the list', report.unlockedLarge);
  const scroll = await driver.executeAsync(SCROLL_LIST);
  console.log(`  scrolled to row ${scroll.last + 1} in ${scroll.positions} steps, ${(scroll.elapsed / 1000).toFixed(1)} s`);
  report.scrolled = await idleMemory(pid);
  describeMemory('idle after scrolling the whole list', report.scrolled);
  await driver.end();
});

console.log('\nFront end (gzip), from ui/dist:');
try {
  const sizes = execFileSync('node', [`${root}/ui/scripts/bundle-size.mjs`], { encoding: 'utf8' });
  console.log(sizes.replace(/^/gm, '  ').trimEnd());
} catch (error) {
  console.log(`  not measured: ${error.message.split('\n')[0]} (run npm run build in ui/ first)`);
}

const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
console.log('\nSummary (medians; ratios against baselines from this run)');
console.log(
  `  cold start to the unlock screen: ${ms(report.unlockScreen)} (intent < 1500 ms); page load complete: ` +
    `${ms(report.loadComplete)}; ratio ${ratio(report.unlockScreen, report.loadComplete)}`,
);
console.log(
  `  unlock to the first list of ${DOCUMENTS} documents: ${ms(report.unlockToList)}; vault_unlock alone: ` +
    `${ms(report.rawUnlock)}; ratio ${ratio(report.unlockToList, report.rawUnlock)}`,
);
console.log(
  `  memory (RSS / PSS): locked ${mb(report.locked.rss)} / ${mb(report.locked.pss)}; unlocked with ${SMALL_DOCUMENTS} documents ` +
    `${mb(report.unlockedSmall.rss)} / ${mb(report.unlockedSmall.pss)}; ${DOCUMENTS} documents scrolled ` +
    `${mb(report.scrolled.rss)} / ${mb(report.scrolled.pss)} (intent < 250 MB); ` +
    `ratio scrolled / locked ${ratio(report.scrolled.rss, report.lockedLarge.rss)} RSS, ${ratio(report.scrolled.pss, report.lockedLarge.pss)} PSS`,
);
process.exit(0);
