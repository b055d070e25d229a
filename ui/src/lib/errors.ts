/**
 * Normalises whatever a command rejects with into a `Message` the user can read.
 *
 * The shell rejects with `{ key, params }`. Tauri itself rejects with a plain string
 * (unknown command, denied permission). Those become `error.unexpected`, whose message
 * says what to do next, and the raw string is not shown.
 */
import type { Message } from './api';

export function toMessage(error: unknown): Message {
  if (typeof error === 'object' && error !== null && 'key' in error) {
    const { key, params } = error as { key: unknown; params?: unknown };
    if (typeof key === 'string' && key.startsWith('error.')) {
      return { key, params: cleanParams(params) };
    }
  }
  return { key: 'error.unexpected' };
}

function cleanParams(params: unknown): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (typeof params !== 'object' || params === null) return out;
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number') out[name] = value;
  }
  return out;
}
