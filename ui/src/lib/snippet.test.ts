import { describe, expect, it } from 'vitest';
import { splitSnippet } from './snippet';

describe('splitSnippet', () => {
  it('splits marked matches from plain text', () => {
    expect(splitSnippet('un \uE000bilan\uE001 sanguin')).toEqual([
      { text: 'un ', match: false },
      { text: 'bilan', match: true },
      { text: ' sanguin', match: false },
    ]);
  });

  it('keeps markup as plain text', () => {
    const segments = splitSnippet('<img src=x onerror=alert(1)> \uE000x\uE001');
    expect(segments[0]).toEqual({ text: '<img src=x onerror=alert(1)> ', match: false });
    expect(segments[1]).toEqual({ text: 'x', match: true });
  });

  it('handles adjacent, unclosed and empty matches', () => {
    expect(splitSnippet('\uE000a\uE001\uE000b\uE001')).toEqual([
      { text: 'a', match: true },
      { text: 'b', match: true },
    ]);
    expect(splitSnippet('x \uE000fin')).toEqual([
      { text: 'x ', match: false },
      { text: 'fin', match: true },
    ]);
    expect(splitSnippet('\uE000\uE001')).toEqual([]);
  });

  it('keeps characters outside the BMP intact', () => {
    expect(splitSnippet('💉 \uE000rappel\uE001')[0].text).toBe('💉 ');
  });
});
