import { get } from 'svelte/store';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const vaultLock = vi.fn();
vi.mock('./api', () => ({
  api: {
    vaultLock: () => vaultLock(),
    peopleList: async () => [{ id: 'p1', name: 'Camille', birthDate: '1988-05-02', sex: 'female', relation: 'titulaire' }],
    appStatus: async () => ({ unlocked: true }),
  },
}));

const session = await import('./session');

describe('lock', () => {
  beforeEach(async () => {
    vaultLock.mockReset();
    session.status.set({
      vaultPath: '/v',
      vaultExists: true,
      unlocked: true,
      remembered: false,
      language: 'fr',
      autoLockMinutes: 5,
      version: '0',
    });
    await session.enterVault();
    session.recoveryKit.set('KIT');
    session.restoreCounts.set({ people: 1, documents: 2 });
  });

  it('drops every vault-derived store', async () => {
    const hook = vi.fn();
    const remove = session.onLock(hook);
    expect(get(session.people)).toHaveLength(1);
    expect(get(session.selectedPersonId)).toBe('p1');

    expect(await session.lock()).toBeNull();

    expect(get(session.unlocked)).toBe(false);
    expect(get(session.people)).toEqual([]);
    expect(get(session.selectedPersonId)).toBeNull();
    expect(get(session.recoveryKit)).toBeNull();
    expect(get(session.restoreCounts)).toBeNull();
    expect(get(session.status)?.unlocked).toBe(false);
    expect(hook).toHaveBeenCalledOnce();
    remove();
  });

  it('clears the stores even when the backend fails', async () => {
    vaultLock.mockRejectedValue({ key: 'error.internal' });
    expect(await session.lock()).toEqual({ key: 'error.internal', params: {} });
    expect(get(session.people)).toEqual([]);
    expect(get(session.unlocked)).toBe(false);
  });
});

describe('startIdleTimer', () => {
  it('fires after the delay and restarts on activity', () => {
    vi.useFakeTimers();
    const target = new EventTarget();
    const onIdle = vi.fn();
    const stop = session.startIdleTimer(1, onIdle, target);
    vi.advanceTimersByTime(50_000);
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(50_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10_000);
    expect(onIdle).toHaveBeenCalledOnce();
    stop();
    vi.useRealTimers();
  });

  it('reports activity to the shell at most every 20 s', () => {
    vi.useFakeTimers();
    const target = new EventTarget();
    const onActivity = vi.fn();
    const stop = session.startIdleTimer(5, vi.fn(), target, onActivity);
    expect(onActivity).toHaveBeenCalledTimes(1);
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(10_000);
    target.dispatchEvent(new Event('pointerdown'));
    expect(onActivity).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(session.ACTIVITY_REPORT_MS);
    target.dispatchEvent(new Event('keydown'));
    expect(onActivity).toHaveBeenCalledTimes(2);
    stop();
    vi.useRealTimers();
  });

  it('stops when disposed', () => {
    vi.useFakeTimers();
    const onIdle = vi.fn();
    const stop = session.startIdleTimer(1, onIdle, new EventTarget());
    stop();
    vi.advanceTimersByTime(120_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.useRealTimers();
  });
});
