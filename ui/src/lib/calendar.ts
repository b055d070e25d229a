/**
 * Calendar arithmetic on `YYYY-MM-DD` strings for the agenda views.
 *
 * Days are counted with `Date.UTC`, where every day has 24 hours, so adding days never
 * lands on the wrong date across a daylight-saving change (Europe/Paris switches on
 * 2026-03-29 and 2026-10-25). Weeks start on Monday, as in France (ISO 8601).
 */

const DAY_MS = 86_400_000;

/** Parses `YYYY-MM-DD` (or the date part of a date-time) into its day number since 1970-01-01. */
export function dayNumber(day: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${day}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

/** Returns the `YYYY-MM-DD` of a day number. */
export function fromDayNumber(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, count: number): string {
  return fromDayNumber(dayNumber(day) + count);
}

/** Day of the week, 0 for Monday to 6 for Sunday. */
export function weekdayIndex(day: string): number {
  // 1970-01-01 was a Thursday (index 3).
  return (((dayNumber(day) + 3) % 7) + 7) % 7;
}

/** Monday of the week that contains `day`. */
export function startOfWeek(day: string): string {
  return addDays(day, -weekdayIndex(day));
}

/** Returns the seven days, Monday to Sunday, of the week that contains `day`. */
export function weekDays(day: string): string[] {
  const monday = startOfWeek(day);
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** First day of the month that contains `day`. */
export function startOfMonth(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** Number of days in the month that contains `day`. */
export function daysInMonth(day: string): number {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Moves `day` by `count` months, keeping its day of the month when it exists and the
 * month's last day otherwise (31 January + 1 month is 28 or 29 February).
 */
export function addMonths(day: string, count: number): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7)) - 1 + count;
  const target = new Date(Date.UTC(year, month, 1));
  const first = target.toISOString().slice(0, 10);
  const dayOfMonth = Math.min(Number(day.slice(8, 10)), daysInMonth(first));
  return addDays(first, dayOfMonth - 1);
}

/**
 * Returns the days of a month view: whole weeks from the Monday on or before the 1st to
 * the Sunday on or after the last day, so 4 to 6 rows of 7 days.
 */
export function monthGrid(day: string): string[][] {
  const first = startOfMonth(day);
  const last = addDays(first, daysInMonth(first) - 1);
  const start = startOfWeek(first);
  const end = addDays(startOfWeek(last), 6);
  const rows: string[][] = [];
  for (let monday = start; dayNumber(monday) <= dayNumber(end); monday = addDays(monday, 7)) {
    rows.push(Array.from({ length: 7 }, (_, i) => addDays(monday, i)));
  }
  return rows;
}

/** Returns whether two days are in the same month. */
export function sameMonth(a: string, b: string): boolean {
  return a.slice(0, 7) === b.slice(0, 7);
}

/** Today as `YYYY-MM-DD` on the device's clock. */
export function today(now: Date = new Date()): string {
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const dayOfMonth = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${dayOfMonth}`;
}

/** Returns the days an event covers, from its start to its end. The end of an all-day event is exclusive. */
export function eventDays(start: string, end: string | undefined, allDay: boolean): string[] {
  const first = dayNumber(start);
  let last = end ? dayNumber(end) : first;
  // A timed event ending at midnight does not cover the next day.
  if (end && !allDay && end.slice(11, 16) === '00:00' && last > first) last -= 1;
  if (allDay && end && last > first) last -= 1;
  const days: string[] = [];
  for (let n = first; n <= Math.max(first, last); n += 1) days.push(fromDayNumber(n));
  return days;
}

/** Initials of a name, for the badge that doubles a person's colour: "Léo Martin" → "LM". */
export function initials(name: string): string {
  const parts = name.trim().split(/[\s-]+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((part) => part[0]?.toLocaleUpperCase() ?? '').join('');
}

/**
 * Person colours: a text colour and a light background, each pair above 4.5:1 contrast
 * (WCAG 1.4.3) against the other and the text colour above 3:1 against white, so a dot
 * stays visible. Colour is never the only cue: initials or the name go with it.
 */
export const PERSON_COLOURS = [
  { fg: '#0b5394', bg: '#dceafb' },
  { fg: '#8a3b00', bg: '#fde6d2' },
  { fg: '#2f6b1f', bg: '#def2d6' },
  { fg: '#7a1f6d', bg: '#f6dcf1' },
  { fg: '#6b5300', bg: '#f7efc6' },
  { fg: '#005f5f', bg: '#d3f0ee' },
] as const;

/** Returns the colour of the person at `index` in the people list. */
export function personColour(index: number): (typeof PERSON_COLOURS)[number] {
  return PERSON_COLOURS[((index % PERSON_COLOURS.length) + PERSON_COLOURS.length) % PERSON_COLOURS.length];
}

/**
 * Returns the day a key moves the focus to in the month and week views: arrows by a day
 * or a week, Home and End to the ends of the week, Page Up and Page Down by a month, and
 * `null` for any other key.
 */
export function moveDay(day: string, key: string): string | null {
  switch (key) {
    case 'ArrowLeft':
      return addDays(day, -1);
    case 'ArrowRight':
      return addDays(day, 1);
    case 'ArrowUp':
      return addDays(day, -7);
    case 'ArrowDown':
      return addDays(day, 7);
    case 'Home':
      return startOfWeek(day);
    case 'End':
      return addDays(startOfWeek(day), 6);
    case 'PageUp':
      return addMonths(day, -1);
    case 'PageDown':
      return addMonths(day, 1);
    default:
      return null;
  }
}
