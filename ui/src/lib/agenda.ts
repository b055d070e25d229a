/** Agenda helpers shared by the agenda views, the event dialog and the home screen. */
import type { AgendaEvent, EventDetail, EventInput, Language, Message, Person } from './api';
import { tick } from 'svelte';
import { eventDays, initials, moveDay, personColour } from './calendar';

const LOCALES: Record<Language, string> = { fr: 'fr-FR', en: 'en-GB' };

/** Event the dialog opens: a new one, or a stored one reached from one of its occurrences. */
export type DialogTarget = { kind: 'new'; input: EventInput } | { kind: 'edit'; detail: EventDetail; occurrence?: AgendaEvent };

/** Properties of the month and week views, which show the days around `day`. */
export interface DayViewProps {
  /** The chosen day, which arrow keys move; bindable. */
  day: string;
  today: string;
  events: AgendaEvent[];
  people: Map<string, PersonStyle>;
  onopen: (event: AgendaEvent) => void;
  onadd: (day: string) => void;
}

/** Colour, initials and name of each person, by id, in the order of the people list. */
export interface PersonStyle {
  name: string;
  initials: string;
  fg: string;
  bg: string;
}

export function personStyles(people: Person[]): Map<string, PersonStyle> {
  return new Map(people.map((person, index) => [person.id, { name: person.name, initials: initials(person.name), ...personColour(index) }]));
}

/** Groups events by each day they cover, and sorts each day's list with all-day events first, then by start. */
export function eventsByDay(events: AgendaEvent[]): Map<string, AgendaEvent[]> {
  const days = new Map<string, AgendaEvent[]>();
  for (const event of events) {
    for (const day of eventDays(event.start, event.end, event.allDay)) {
      const list = days.get(day) ?? [];
      list.push(event);
      days.set(day, list);
    }
  }
  for (const list of days.values()) {
    list.sort((a, b) => Number(b.allDay) - Number(a.allDay) || a.start.localeCompare(b.start));
  }
  return days;
}

/** Returns the `HH:MM` of a date-time, which the backend writes in Europe/Paris. */
export function timeOf(dateTime: string): string {
  return dateTime.slice(11, 16);
}

/** Formats a day in full: "mercredi 25 mars 2026". */
export function longDay(day: string, language: Language): string {
  const [year, month, dayOfMonth] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(LOCALES[language], {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(year, month - 1, dayOfMonth)));
}

/** Returns the weekday names, Monday first. */
export function weekdayNames(language: Language, width: 'short' | 'long'): string[] {
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) =>
    new Intl.DateTimeFormat(LOCALES[language], { weekday: width, timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + i))),
  );
}

/** Formats the month of `day`: "mars 2026". */
export function monthTitle(day: string, language: Language): string {
  const [year, month] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(LOCALES[language], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
}

/** Largest occurrence count of a repeating event, as the backend's `COUNT_RANGE`. */
export const MAX_COUNT = 500;

/** Field names of the event dialog that can carry an error. */
export type EventField = 'personId' | 'title' | 'start' | 'end' | 'count' | 'until' | 'alarms' | 'frequency' | 'kind' | 'notes';

/**
 * Checks the dialog's fields before they are sent, with the backend's keys, so an error
 * shows under its field at once. The backend checks again and has the last word.
 */
export function validateEvent(input: EventInput): Partial<Record<EventField, Message>> {
  const errors: Partial<Record<EventField, Message>> = {};
  if (!input.personId) errors.personId = { key: 'error.event_person_missing' };
  if (!input.title.trim()) errors.title = { key: 'error.event_title_missing' };
  const startPattern = input.allDay ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
  if (!startPattern.test(input.start)) errors.start = { key: 'error.event_date_invalid' };
  else if (input.end && startPattern.test(input.end) && input.end < input.start) errors.end = { key: 'error.event_end_before_start' };
  else if (input.end && !startPattern.test(input.end)) errors.end = { key: 'error.event_date_invalid' };
  const rule = input.recurrence;
  if (rule && rule.frequency !== 'none') {
    if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count >= 1 && rule.count <= MAX_COUNT)) {
      errors.count = { key: 'error.event_count_range', params: { min: 1, max: MAX_COUNT } };
    }
    if (rule.until !== undefined && rule.until < input.start.slice(0, 10)) errors.until = { key: 'error.event_until_before_start' };
  }
  return errors;
}

/** Returns the dialog's starting values for a new event of `personId` on `day`. */
export function blankEvent(personId: string, day: string): EventInput {
  return {
    personId,
    title: '',
    allDay: false,
    start: `${day}T09:00`,
    end: `${day}T09:30`,
    kind: 'appointment',
    alarms: [],
    recurrence: { frequency: 'none' },
  };
}

/** Returns the dialog's values for a stored event. */
export function formOf(detail: EventDetail): EventInput {
  const { uid: _uid, customRecurrence: _custom, ...input } = detail;
  return { ...input, alarms: [...detail.alarms], recurrence: detail.recurrence ? { ...detail.recurrence } : detail.customRecurrence ? undefined : { frequency: 'none' } };
}

/**
 * Handles a navigation key on a day button of the month or week view: sets the new
 * day through `choose` and moves the focus to its button in `container` once the view
 * has redrawn. Other keys are left alone.
 */
export async function moveFocusedDay(
  event: KeyboardEvent,
  day: string,
  container: HTMLElement | undefined,
  choose: (day: string) => void,
): Promise<void> {
  const target = moveDay(day, event.key);
  if (!target) return;
  event.preventDefault();
  choose(target);
  await tick();
  container?.querySelector<HTMLButtonElement>(`button[data-day="${target}"]`)?.focus();
}
