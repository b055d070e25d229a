/**
 * The agenda part of the mocked backend. Its events belong to the three mock people
 * and sit around the page's today, so every view has something to show on any date.
 * It creates, updates and deletes events (a whole series or one occurrence), imports
 * `.ics` files, lists and decides prevention suggestions, and keeps the notification
 * settings.
 */
import type {
  AgendaEvent,
  EventDetail,
  EventInput,
  NotificationSettings,
  PreventionSuggestion,
  RecurrenceInput,
  SuggestionState,
} from '../src/lib/api';
import { addDays, addMonths, dayNumber, today } from '../src/lib/calendar';

interface Series {
  uid: string;
  input: EventInput;
  /** Original starts of deleted occurrences, as `recurrenceId` names them. */
  excluded: string[];
}

const base = today();

function at(day: string, time: string): string {
  return `${day}T${time}`;
}

let series: Series[] = [
  {
    uid: 'visite-3-ans@mock',
    excluded: [],
    input: {
      personId: 'p2',
      title: 'Visite des 3 ans',
      allDay: false,
      start: at(addDays(base, 2), '09:30'),
      end: at(addDays(base, 2), '10:00'),
      kind: 'appointment',
      practitioner: 'Dr Alice Durand',
      specialty: 'Pédiatrie',
      address: 'Cabinet des Lilas, 3 rue des Lilas, Paris',
      alarms: [30],
    },
  },
  {
    uid: 'prise-de-sang@mock',
    excluded: [],
    input: { personId: 'p3', title: 'Prise de sang', allDay: true, start: addDays(base, 5), end: addDays(base, 5), kind: 'reminder', alarms: [] },
  },
  {
    uid: 'kine@mock',
    excluded: [],
    input: {
      personId: 'p1',
      title: 'Kinésithérapie',
      allDay: false,
      start: at(addDays(base, -7), '18:00'),
      end: at(addDays(base, -7), '18:30'),
      kind: 'appointment',
      facility: 'Centre de santé Voltaire',
      alarms: [60],
      recurrence: { frequency: 'weekly', count: 6 },
    },
  },
];

let nextUid = 1;
let notifications: NotificationSettings = { enabled: true, showDetails: false };
const decisions = new Map<string, { state: SuggestionState; on?: string }>();

/** Starts of a series' occurrences, capped at 500 as the backend's count limit. */
function starts(input: EventInput): string[] {
  const rule: RecurrenceInput = input.recurrence ?? { frequency: 'none' };
  const first = input.start;
  if (rule.frequency === 'none') return [first];
  const time = first.slice(10);
  const list: string[] = [];
  for (let i = 0; i < 500; i += 1) {
    const day =
      rule.frequency === 'daily'
        ? addDays(first, i)
        : rule.frequency === 'weekly'
          ? addDays(first, 7 * i)
          : addMonths(first, rule.frequency === 'monthly' ? i : 12 * i);
    if (rule.count !== undefined && i >= rule.count) break;
    if (rule.until && dayNumber(day) > dayNumber(rule.until)) break;
    list.push(day + time);
  }
  return list;
}

function lengthInDays(input: EventInput): number {
  return input.end ? dayNumber(input.end) - dayNumber(input.start) : 0;
}

function occurrences(one: Series, from: string, to: string): AgendaEvent[] {
  const recurring = (one.input.recurrence?.frequency ?? 'none') !== 'none';
  const out: AgendaEvent[] = [];
  for (const start of starts(one.input)) {
    const id = recurring ? `${start}:00` : undefined;
    if (id && one.excluded.includes(id)) continue;
    if (dayNumber(start) < dayNumber(from) || dayNumber(start) > dayNumber(to)) continue;
    const endDay = addDays(start, lengthInDays(one.input));
    const end = one.input.allDay ? addDays(endDay, 1) : `${endDay}${(one.input.end ?? start).slice(10)}:00`;
    out.push({
      id: id ? `${one.uid}@${id}` : one.uid,
      uid: one.uid,
      personId: one.input.personId,
      title: one.input.title,
      start: one.input.allDay ? start : `${start}:00`,
      end,
      allDay: one.input.allDay,
      kind: one.input.kind,
      location: one.input.address ?? one.input.facility,
      recurrenceId: id,
    });
  }
  return out;
}

function find(personId: string, uid: string): Series {
  const one = series.find((s) => s.uid === uid && s.input.personId === personId);
  if (!one) throw { key: 'error.event_not_found', params: { uid } };
  return one;
}

/** Rejects, with the backend's keys, what the dialog does not check itself. */
function check(input: EventInput) {
  if (!input.title.trim()) throw { key: 'error.event_title_missing', params: { field: 'title' } };
  if (input.end && input.end < input.start) throw { key: 'error.event_end_before_start', params: { field: 'end' } };
}

const SUGGESTIONS: Omit<PreventionSuggestion, 'state'>[] = [
  {
    personId: 'p2',
    id: 'checkup-3y',
    labelKey: 'agenda.suggestion.checkup-3y',
    kind: 'child_checkup',
    mandatory: true,
    certificate: false,
    windowStart: '2026-03-14',
    windowEnd: '2027-03-14',
  },
  {
    personId: 'p2',
    id: 'mtdents-3y',
    labelKey: 'agenda.suggestion.mtdents-3y',
    kind: 'dental',
    mandatory: false,
    certificate: false,
    windowStart: '2026-03-14',
    windowEnd: '2027-03-14',
  },
];

/** Commands that `handleAgenda` handles. */
export const AGENDA_COMMANDS = new Set([
  'agenda_list',
  'event_get',
  'event_create',
  'event_update',
  'event_delete',
  'agenda_import',
  'prevention_list',
  'prevention_decide',
  'notifications_get',
  'notifications_set',
]);

export function handleAgenda(cmd: string, args: Record<string, any>): unknown {
  switch (cmd) {
    case 'agenda_list': {
      const list = series
        .filter((s) => !args.personId || s.input.personId === args.personId)
        .flatMap((s) => occurrences(s, args.from, args.to));
      return list.sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
    }
    case 'event_get': {
      const one = find(args.personId, args.uid);
      const detail: EventDetail = { ...one.input, uid: one.uid, end: one.input.end ?? one.input.start, customRecurrence: false };
      return detail;
    }
    case 'event_create': {
      check(args.event);
      const uid = `new-${nextUid++}@mock`;
      series = [...series, { uid, input: { ...args.event }, excluded: [] }];
      return { personId: args.event.personId, uid };
    }
    case 'event_update': {
      check(args.event);
      const one = find(args.personId, args.uid);
      const input = { ...args.event, recurrence: args.event.recurrence ?? one.input.recurrence };
      series = series.map((s) => (s === one ? { ...s, input } : s));
      return { personId: args.event.personId, uid: args.uid };
    }
    case 'event_delete': {
      const one = find(args.personId, args.uid);
      series = args.occurrence
        ? series.map((s) => (s === one ? { ...s, excluded: [...s.excluded, args.occurrence] } : s))
        : series.filter((s) => s !== one);
      return null;
    }
    case 'agenda_import':
      series = [
        ...series,
        {
          uid: `import-${nextUid++}@mock`,
          excluded: [],
          input: { personId: args.personId, title: 'Dentiste', allDay: false, start: at(addDays(base, 1), '14:00'), end: at(addDays(base, 1), '14:30'), kind: 'appointment', alarms: [] },
        },
      ];
      return { imported: 1, updated: 0, rejected: [{ line: 12, reason: { key: 'agenda.import.error.missing_start', params: {} } }] };
    case 'prevention_list':
      return SUGGESTIONS.filter((s) => s.personId === args.personId).map((s) => ({
        ...s,
        state: 'open',
        ...decisions.get(`${s.personId}/${s.id}`),
      }));
    case 'prevention_decide': {
      let state: SuggestionState = 'dismissed';
      if (args.decision === 'plan') state = 'planned';
      if (args.decision === 'done') state = 'done';
      decisions.set(`${args.personId}/${args.suggestionId}`, { state, on: args.on ?? (state === 'done' ? base : undefined) });
      return null;
    }
    case 'notifications_get':
      return notifications;
    case 'notifications_set':
      notifications = {
        enabled: args.enabled ?? notifications.enabled,
        showDetails: args.showDetails ?? notifications.showDetails,
      };
      return notifications;
    default:
      throw { key: 'error.unexpected', params: { cmd } };
  }
}
