import { describe, expect, it } from 'vitest';
import { blankEvent, eventsByDay, longDay, monthTitle, validateEvent, weekdayNames } from './agenda';
import type { AgendaEvent } from './api';

describe('eventsByDay', () => {
  it('puts an event on every day it covers, all-day events first', () => {
    const events: AgendaEvent[] = [
      { id: 'a', title: 'Kiné', start: '2026-03-30T18:00:00', end: '2026-03-30T18:30:00', allDay: false },
      { id: 'b', title: 'Colonie', start: '2026-03-29', end: '2026-04-01', allDay: true },
    ];
    const days = eventsByDay(events);
    expect([...days.keys()].sort()).toEqual(['2026-03-29', '2026-03-30', '2026-03-31']);
    expect(days.get('2026-03-30')!.map((e) => e.id)).toEqual(['b', 'a']);
  });
});

describe('labels', () => {
  it('writes days and months in each language', () => {
    expect(longDay('2026-03-29', 'fr')).toBe('dimanche 29 mars 2026');
    expect(longDay('2026-03-29', 'en')).toMatch(/^Sunday,? 29 March 2026$/);
    expect(monthTitle('2026-03-29', 'fr')).toBe('mars 2026');
    expect(weekdayNames('fr', 'long')[0]).toBe('lundi');
    expect(weekdayNames('en', 'short')[6]).toBe('Sun');
  });
});

describe('validateEvent', () => {
  it('accepts a blank event once titled', () => {
    expect(validateEvent({ ...blankEvent('p1', '2026-03-30'), title: 'Pédiatre' })).toEqual({});
  });

  it('names the field of each error', () => {
    const event = blankEvent('p1', '2026-03-30');
    expect(validateEvent(event)).toEqual({ title: { key: 'error.event_title_missing' } });
    expect(validateEvent({ ...event, title: 'x', end: '2026-03-30T08:00' })).toEqual({ end: { key: 'error.event_end_before_start' } });
    expect(validateEvent({ ...event, title: 'x', start: '30/03/2026' })).toEqual({ start: { key: 'error.event_date_invalid' } });
    expect(validateEvent({ ...event, title: 'x', recurrence: { frequency: 'weekly', count: 0 } })).toEqual({
      count: { key: 'error.event_count_range', params: { min: 1, max: 500 } },
    });
    expect(validateEvent({ ...event, title: 'x', recurrence: { frequency: 'daily', until: '2026-03-01' } })).toEqual({
      until: { key: 'error.event_until_before_start' },
    });
  });
});
