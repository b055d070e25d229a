import { describe, expect, it } from 'vitest';
import { ageInMonths, ageParts, formatDate, formatSize, isoDate, parseDate } from './format';

describe('dates', () => {
  it('parses ISO dates as local calendar dates', () => {
    expect(isoDate(parseDate('2024-02-29')!)).toBe('2024-02-29');
    expect(isoDate(parseDate('2025-12-01T23:30:00Z')!)).toBe('2025-12-01');
    expect(parseDate('01/12/2025')).toBeNull();
  });

  it('formats dates per language', () => {
    expect(formatDate('2025-12-01', 'fr')).toBe('1 décembre 2025');
    expect(formatDate('2025-12-01', 'en')).toBe('1 December 2025');
    expect(formatDate('not a date', 'fr')).toBe('not a date');
  });
});

describe('ages', () => {
  it('counts a month once its day is reached', () => {
    expect(ageInMonths('2023-03-14', new Date(2023, 4, 13))).toBe(1);
    expect(ageInMonths('2023-03-14', new Date(2023, 4, 14))).toBe(2);
  });

  it('switches from months to years at two years', () => {
    expect(ageParts('2023-03-14', new Date(2025, 2, 13))).toEqual({ unit: 'months', count: 23 });
    expect(ageParts('2023-03-14', new Date(2025, 2, 14))).toEqual({ unit: 'years', count: 2 });
    expect(ageParts('1941-11-20', new Date(2025, 10, 19))).toEqual({ unit: 'years', count: 83 });
  });

  it('returns null for a birth date in the future', () => {
    expect(ageParts('2030-01-01', new Date(2025, 0, 1))).toBeNull();
  });
});

describe('sizes', () => {
  it('uses French and English units', () => {
    expect(formatSize(512, 'fr')).toBe('512\u00a0o');
    expect(formatSize(12_609, 'fr')).toBe('12,6\u00a0ko');
    expect(formatSize(12_609, 'en')).toBe('12.6\u00a0kB');
    expect(formatSize(3_400_000, 'en')).toBe('3.4\u00a0MB');
  });
});
