import { describe, expect, it } from 'vitest';
import {
  PERSON_COLOURS,
  addDays,
  addMonths,
  eventDays,
  initials,
  monthGrid,
  moveDay,
  personColour,
  startOfWeek,
  today,
  weekDays,
  weekdayIndex,
} from './calendar';

describe('weeks', () => {
  it('start on Monday', () => {
    expect(weekdayIndex('2026-03-30')).toBe(0);
    expect(weekdayIndex('2026-03-29')).toBe(6);
    expect(startOfWeek('2026-04-05')).toBe('2026-03-30');
    expect(startOfWeek('2026-03-30')).toBe('2026-03-30');
  });

  it('week of 2026-03-30 has seven distinct days after the DST change', () => {
    expect(weekDays('2026-04-02')).toEqual([
      '2026-03-30',
      '2026-03-31',
      '2026-04-01',
      '2026-04-02',
      '2026-04-03',
      '2026-04-04',
      '2026-04-05',
    ]);
  });

  it('week that contains the switch to summer time', () => {
    const days = weekDays('2026-03-29');
    expect(days[0]).toBe('2026-03-23');
    expect(days[6]).toBe('2026-03-29');
    expect(new Set(days).size).toBe(7);
  });

  it('week that contains the switch to winter time', () => {
    expect(weekDays('2026-10-25')).toEqual([
      '2026-10-19',
      '2026-10-20',
      '2026-10-21',
      '2026-10-22',
      '2026-10-23',
      '2026-10-24',
      '2026-10-25',
    ]);
    expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
  });
});

describe('months', () => {
  it('grid of March 2026 starts Monday 23 February and ends Sunday 5 April', () => {
    const grid = monthGrid('2026-03-17');
    expect(grid.length).toBe(6);
    expect(grid[0][0]).toBe('2026-02-23');
    expect(grid[5][6]).toBe('2026-04-05');
    for (const row of grid) expect(weekdayIndex(row[0])).toBe(0);
  });

  it('grid of February 2027 is four whole weeks', () => {
    const grid = monthGrid('2027-02-10');
    expect(grid.length).toBe(4);
    expect(grid[0][0]).toBe('2027-02-01');
    expect(grid[3][6]).toBe('2027-02-28');
  });

  it('adding months keeps the day or takes the last day', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-03-15', -3)).toBe('2025-12-15');
    expect(addMonths('2026-12-01', 1)).toBe('2027-01-01');
  });
});

describe('events', () => {
  it('all-day end is exclusive', () => {
    expect(eventDays('2026-07-01', '2026-07-03', true)).toEqual(['2026-07-01', '2026-07-02']);
    expect(eventDays('2026-07-01', undefined, true)).toEqual(['2026-07-01']);
  });

  it('timed event ending at midnight stays on its day', () => {
    expect(eventDays('2026-07-01T22:00:00', '2026-07-02T00:00:00', false)).toEqual(['2026-07-01']);
    expect(eventDays('2026-07-01T22:00:00', '2026-07-02T01:00:00', false)).toEqual(['2026-07-01', '2026-07-02']);
  });
});

describe('people', () => {
  it('initials of first and last names', () => {
    expect(initials('Léo Martin')).toBe('LM');
    expect(initials('Jeanne')).toBe('J');
    expect(initials('Marie-Claire de la Tour')).toBe('MT');
  });

  /** Relative luminance of a `#rrggbb` colour (WCAG 2.1). */
  function luminance(hex: string): number {
    const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
    const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  function contrast(a: string, b: string): number {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  }

  it('colours keep text readable', () => {
    for (const colour of PERSON_COLOURS) {
      expect(contrast(colour.fg, colour.bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(colour.fg, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('colours cycle through the palette', () => {
    expect(personColour(PERSON_COLOURS.length)).toBe(PERSON_COLOURS[0]);
    expect(personColour(1)).toBe(PERSON_COLOURS[1]);
  });
});

describe('keyboard', () => {
  it('moves by day, week and month', () => {
    expect(moveDay('2026-03-29', 'ArrowRight')).toBe('2026-03-30');
    expect(moveDay('2026-03-01', 'ArrowLeft')).toBe('2026-02-28');
    expect(moveDay('2026-03-26', 'ArrowDown')).toBe('2026-04-02');
    expect(moveDay('2026-03-26', 'ArrowUp')).toBe('2026-03-19');
    expect(moveDay('2026-03-26', 'Home')).toBe('2026-03-23');
    expect(moveDay('2026-03-26', 'End')).toBe('2026-03-29');
    expect(moveDay('2026-03-31', 'PageDown')).toBe('2026-04-30');
    expect(moveDay('2026-03-26', 'PageUp')).toBe('2026-02-26');
    expect(moveDay('2026-03-26', 'Enter')).toBeNull();
  });
});

describe('today', () => {
  it('reads the local calendar day', () => {
    expect(today(new Date(2026, 2, 29, 23, 30))).toBe('2026-03-29');
  });
});
