import { describe, expect, it } from 'vitest';
import { toMessage } from './errors';

describe('toMessage', () => {
  it('keeps backend keys and simple params', () => {
    expect(toMessage({ key: 'error.io', params: { path: '/x', code: 5, nested: { a: 1 } } })).toEqual({
      key: 'error.io',
      params: { path: '/x', code: 5 },
    });
  });

  it('maps Tauri string errors and foreign shapes to error.unexpected', () => {
    expect(toMessage('command app_status not allowed')).toEqual({ key: 'error.unexpected' });
    expect(toMessage({ key: 'not-an-error-key' })).toEqual({ key: 'error.unexpected' });
    expect(toMessage(null)).toEqual({ key: 'error.unexpected' });
  });
});
