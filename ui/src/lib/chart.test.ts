import { describe, expect, it } from 'vitest';
import { linearScale, linePath, niceStep, niceTicks } from './chart';

describe('linearScale', () => {
  it('maps the domain onto the range, inverted for SVG y', () => {
    const y = linearScale([0, 10], [250, 50]);
    expect(y(0)).toBe(250);
    expect(y(10)).toBe(50);
    expect(y(5)).toBe(150);
  });

  it('maps a zero-width domain to the middle', () => {
    expect(linearScale([3, 3], [0, 100])(3)).toBe(50);
  });
});

describe('niceTicks', () => {
  it('picks steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(10, 5)).toBe(2);
    expect(niceStep(100, 4)).toBe(50);
    expect(niceStep(0.9, 4)).toBe(0.5);
    expect(niceStep(37, 5)).toBe(10);
  });

  it('widens the domain to whole steps', () => {
    expect(niceTicks(3.4, 12.1, 4)).toEqual({ domain: [0, 15], ticks: [0, 5, 10, 15] });
    expect(niceTicks(3.4, 12.1, 8)).toEqual({ domain: [2, 14], ticks: [2, 4, 6, 8, 10, 12, 14] });
    expect(niceTicks(50, 87, 4)).toEqual({ domain: [50, 90], ticks: [50, 60, 70, 80, 90] });
  });

  it('pads a single value', () => {
    const { domain, ticks } = niceTicks(65, 65, 4);
    expect(domain[0]).toBeLessThan(65);
    expect(domain[1]).toBeGreaterThan(65);
    expect(ticks.length).toBeGreaterThan(1);
  });

  it('avoids floating point noise in ticks', () => {
    expect(niceTicks(0.1, 0.7, 6).ticks).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  });
});

describe('linePath', () => {
  it('moves then draws lines', () => {
    expect(linePath([{ x: 0, y: 1 }, { x: 2.25, y: 3 }])).toBe('M0.0,1.0 L2.3,3.0');
    expect(linePath([])).toBe('');
  });
});
