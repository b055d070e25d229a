/**
 * Session state: the app status, the unlocked flag, every store that holds data read
 * from the vault, locking and the idle timer.
 *
 * Locking empties every vault-derived store here and flips `unlocked`, which unmounts
 * the vault screens, so no health data stays in memory stores or in the DOM.
 */
import { get, writable } from 'svelte/store';
import { api, type AppStatus, type Message, type Person } from './api';
import { toMessage } from './errors';

export const status = writable<AppStatus | null>(null);
export const unlocked = writable(false);

/** People of the vault. Cleared on lock. */
export const people = writable<Person[]>([]);
/** Person selected across screens. Cleared on lock. */
export const selectedPersonId = writable<string | null>(null);
/** Incremented after anything that changes the document list (import, edit, delete). */
export const documentsVersion = writable(0);
/** Recovery kit while it is on screen after creation or restore. Cleared on lock. */
export const recoveryKit = writable<string | null>(null);
/** Counts of people and documents a restore brought back, shown beside the recovery kit. Cleared on lock. */
export const restoreCounts = writable<{ people: number; documents: number } | null>(null);

/**
 * Reason this device could not be remembered at the last unlock or creation, shown as
 * a dismissible notice over the vault screens. Cleared on lock.
 */
export const deviceWarning = writable<Message | null>(null);

/** Hooks that screens register to drop their own vault data (object URLs, caches). */
const lockHooks = new Set<() => void>();

export function onLock(hook: () => void): () => void {
  lockHooks.add(hook);
  return () => lockHooks.delete(hook);
}

/** Drops every value derived from the vault. */
export function clearVaultData(): void {
  people.set([]);
  selectedPersonId.set(null);
  recoveryKit.set(null);
  restoreCounts.set(null);
  deviceWarning.set(null);
  documentsVersion.update((n) => n + 1);
  for (const hook of lockHooks) hook();
}

export async function refreshStatus(): Promise<AppStatus> {
  const next = await api.appStatus();
  status.set(next);
  unlocked.set(next.unlocked);
  return next;
}

export async function loadPeople(): Promise<void> {
  const list = await api.peopleList();
  people.set(list);
  const selected = get(selectedPersonId);
  if (!selected || !list.some((p) => p.id === selected)) {
    selectedPersonId.set(list[0]?.id ?? null);
  }
}

/** Called after a successful unlock, create or restore. */
export async function enterVault(): Promise<void> {
  unlocked.set(true);
  status.update((s) => (s ? { ...s, unlocked: true, vaultExists: true } : s));
  await loadPeople();
}

/** Clears the front end after the vault was locked, by `lock` or by the shell itself. */
export function markLocked(): void {
  clearVaultData();
  unlocked.set(false);
  status.update((s) => (s ? { ...s, unlocked: false } : s));
}

/**
 * Locks the vault. The front end clears its data even when the backend call fails, and
 * returns that failure so the caller can show it.
 */
export async function lock(): Promise<Message | null> {
  let failure: Message | null = null;
  try {
    await api.vaultLock();
  } catch (error) {
    failure = toMessage(error);
  }
  markLocked();
  return failure;
}

/** Events that count as activity for the auto-lock timer. */
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/** Shortest gap, in milliseconds, between two activity reports to the shell. */
export const ACTIVITY_REPORT_MS = 20_000;

/**
 * Locks after `minutes` without user activity. Returns a function that stops the timer.
 * `onActivity`, when given, runs at most every {@link ACTIVITY_REPORT_MS} while the
 * user is active, so that the shell's own idle lock counts keys and clicks too.
 */
export function startIdleTimer(
  minutes: number,
  onIdle: () => void,
  target: EventTarget = window,
  onActivity?: () => void,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastReport = -Infinity;
  const reset = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(onIdle, minutes * 60_000);
    const now = Date.now();
    if (onActivity && now - lastReport >= ACTIVITY_REPORT_MS) {
      lastReport = now;
      onActivity();
    }
  };
  for (const name of ACTIVITY_EVENTS) target.addEventListener(name, reset, { passive: true });
  reset();
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    for (const name of ACTIVITY_EVENTS) target.removeEventListener(name, reset);
  };
}
