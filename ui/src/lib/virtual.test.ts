import { describe, expect, it } from 'vitest';
import { pagesFor, rowWindow, scrollToRow } from './virtual';

describe('rowWindow', () => {
  it('renders the visible rows plus overscan at the top', () => {
    expect(rowWindow(0, 400, 80, 10_000, 5)).toEqual({ start: 0, end: 10, offset: 0, height: 800_000 });
  });

  it('follows the scroll position', () => {
    const win = rowWindow(80_000, 400, 80, 10_000, 5);
    expect(win.start).toBe(995);
    expect(win.end).toBe(1010);
    expect(win.offset).toBe(995 * 80);
  });

  it('clamps past the end of the list', () => {
    const win = rowWindow(10_000_000, 400, 80, 10_000, 5);
    expect(win.end).toBe(10_000);
    expect(win.start).toBe(10_000 - 5 - 5);
  });

  it('keeps the window small whatever the total', () => {
    const win = rowWindow(400_000, 800, 76, 10_000, 5);
    expect(win.end - win.start).toBeLessThanOrEqual(Math.ceil(800 / 76) + 11);
  });

  it('handles an empty list and negative scroll', () => {
    expect(rowWindow(0, 400, 80, 0)).toEqual({ start: 0, end: 0, offset: 0, height: 0 });
    expect(rowWindow(-50, 400, 80, 3, 5)).toEqual({ start: 0, end: 3, offset: 0, height: 240 });
  });
});

describe('pagesFor', () => {
  it('lists the pages covering a row range', () => {
    expect(pagesFor(0, 10, 100)).toEqual([0]);
    expect(pagesFor(95, 110, 100)).toEqual([0, 1]);
    expect(pagesFor(100, 200, 100)).toEqual([1]);
    expect(pagesFor(5, 5, 100)).toEqual([]);
  });
});

describe('scrollToRow', () => {
  it('scrolls only when the row is out of view', () => {
    expect(scrollToRow(4, 0, 400, 80)).toBeNull();
    expect(scrollToRow(5, 0, 400, 80)).toBe(80);
    expect(scrollToRow(5, 0, 300, 80)).toBe(6 * 80 - 300);
    expect(scrollToRow(2, 400, 400, 80)).toBe(160);
  });
});
