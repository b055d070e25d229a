/**
 * The IPC contract between the Carnet front end and its Tauri shell: the single typed
 * source of truth for every command, argument, result and event. The Rust side
 * mirrors these types in `src-tauri/src/ipc.rs`.
 *
 * Keys never cross this boundary. The front end receives records to display, never a
 * vault key, a space key, a content key or a device secret. The one secret it ever
 * receives is the recovery kit, returned once by `vault_create` and `vault_restore` so the
 * user can print it. The front end keeps it in memory only while it is on screen.
 *
 * Every command rejects with a `CommandError`: an i18n key under `error.` and its
 * parameters, which `errors.ts` translates.
 */
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

export type Language = 'fr' | 'en';

/** An i18n key with the values its message needs. */
export interface Message {
  key: string;
  params?: Record<string, string | number>;
}

/** The rejection value of every command. */
export type CommandError = Message;

export interface AppStatus {
  vaultPath: string | null;
  vaultExists: boolean;
  unlocked: boolean;
  /** This device can unlock without the passphrase. */
  remembered: boolean;
  language: Language;
  autoLockMinutes: number;
  version: string;
}

export interface PassphraseCheck {
  acceptable: boolean;
  /** 0 (very weak) to 4 (very strong). */
  score: 0 | 1 | 2 | 3 | 4;
  /** i18n keys explaining why the passphrase is weak, such as `passphrase.too_short`. */
  reasons: string[];
}

export interface VaultCreated {
  recoveryKit: string;
  /** Reason this device could not be remembered, when it was requested. The vault is open all the same. */
  warning?: Message;
}

export interface VaultUnlocked {
  /** Reason this device could not be remembered, when it was requested. The vault is unlocked all the same. */
  warning?: Message;
}

export interface RestoreSummary {
  recoveryKit: string;
  people: number;
  documents: number;
}

/** FHIR administrative gender. */
export type Sex = 'female' | 'male' | 'other' | 'unknown';
export const SEXES: Sex[] = ['female', 'male', 'other', 'unknown'];

/** `tutelle` is a person under guardianship (*personne sous tutelle*). */
export type Relation = 'titulaire' | 'enfant' | 'parent' | 'conjoint' | 'tutelle' | 'autre';
export const RELATIONS: Relation[] = ['titulaire', 'enfant', 'parent', 'conjoint', 'tutelle', 'autre'];

export interface PersonInput {
  name: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  sex: Sex;
  relation: Relation;
  /** Identifiant national de santé; the backend validates it. */
  ins?: string;
}

export interface Person extends PersonInput {
  id: string;
}

/** Mon espace santé document categories, in the order the service lists them. */
export const CATEGORIES = [
  'SYNTHESE',
  'ORD_SOIN',
  'RADIO_SC',
  'BIOLOGIE',
  'CPT_REND',
  'DEPISTAG',
  'CERT_MED',
  'DOC_ADM',
  'DIR_ANT',
  'CAR_VAC',
  'VDP',
  'REMB',
  'AUTR_DOC',
] as const;
export type Category = (typeof CATEGORIES)[number];

export type DocumentSource = 'import' | 'dmp' | 'sync';
export const SOURCES: DocumentSource[] = ['import', 'dmp', 'sync'];

export type TextStatus = 'extracted' | 'none' | 'pending' | 'failed';

export interface DocumentFilter {
  personId?: string;
  category?: Category;
  source?: DocumentSource;
  year?: number;
}

export interface DocumentSummary {
  id: string;
  personId: string;
  title: string;
  category: Category;
  /** ISO 8601 date of the care event, else of the import. */
  date: string;
  source: DocumentSource;
  mediaType: string;
  /** Size of the original file in bytes. */
  size: number;
  hasText: boolean;
  textStatus: TextStatus;
  pages?: number;
}

/**
 * One page of `documents_list`. Items are ordered by category (in `CATEGORIES` order)
 * and then by date, newest first, so the list reads as groups.
 */
export interface DocumentPage {
  total: number;
  items: DocumentSummary[];
}

/** Start and end of a match inside a search snippet. */
export const MATCH_START = '\uE000';
export const MATCH_END = '\uE001';

export interface SearchHit {
  document: DocumentSummary;
  /** Plain text in which each match sits between `MATCH_START` and `MATCH_END`. */
  snippet: string;
  score: number;
}

export interface Author {
  name: string;
  role?: string;
  organisation?: string;
}

export interface DocumentDetail extends DocumentSummary {
  provenance: { importedAt: string; fileName?: string; sha256?: string };
  authors: Author[];
  dmpCodes: { classCode?: string; typeCode?: string; confidentiality?: string; uniqueId?: string };
  /** Structured entries of a CDA level 3 or FHIR document. */
  entries: { resourceType: string; display: string; date?: string; value?: string }[];
}

export interface DocumentPatch {
  title?: string;
  category?: Category;
  date?: string;
}

export interface ImportRejection {
  file: string;
  reason: Message;
  /** Set when the file seems to be another patient's: import this path with `force` to file it anyway. */
  forcePath?: string;
}

export interface ImportSummary {
  imported: number;
  duplicates: number;
  rejected: ImportRejection[];
  cancelled: boolean;
}

/** Payload of the `import-progress` event, sent after each file. */
export interface ImportProgress {
  done: number;
  total: number;
  file: string;
}

export interface Allergy {
  substance: string;
  reaction?: string;
  /** `low`, `high` or `unknown`, as FHIR AllergyIntolerance.criticality. */
  criticality?: 'low' | 'high' | 'unknown';
  since?: string;
}
export interface Treatment {
  name: string;
  dosage?: string;
  since?: string;
  until?: string;
}
export interface Condition {
  name: string;
  since?: string;
  /** FHIR clinicalStatus code, such as `active` or `resolved`. */
  status?: string;
}
export interface Vaccination {
  vaccine: string;
  date: string;
  lot?: string;
  dose?: string;
  performer?: string;
}
export type MeasurementKind = 'weight' | 'height' | 'head_circumference' | 'bmi' | 'systolic' | 'diastolic';
export interface Measurement {
  kind: MeasurementKind;
  value: number;
  /** UCUM unit, such as `kg` or `cm`. */
  unit: string;
  date: string;
}

/** ABO group and RhD factor, as the vault stores them. */
export type BloodGroup = 'A+' | 'A-' | 'B+' | 'B-' | 'AB+' | 'AB-' | 'O+' | 'O-';
export const BLOOD_GROUPS: BloodGroup[] = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'];

export interface Profile {
  allergies: Allergy[];
  treatments: Treatment[];
  conditions: Condition[];
  /** Typed by the user; `null` while unknown. */
  bloodGroup: BloodGroup | null;
  vaccinations: Vaccination[];
  measurements: Measurement[];
}

export interface AgendaEvent {
  id: string;
  personId?: string;
  title: string;
  /** ISO 8601 date or date-time. */
  start: string;
  end?: string;
  allDay: boolean;
  location?: string;
  /** iCalendar UID of the series; with `personId`, it names the event for `eventGet`. */
  uid?: string;
  kind?: EventKind;
  /** Original start of a recurring occurrence, as `eventDelete` expects it. */
  recurrenceId?: string;
}

export type EventKind = 'appointment' | 'reminder';
export type Frequency = 'none' | 'daily' | 'weekly' | 'monthly' | 'yearly';
export const FREQUENCIES: Frequency[] = ['none', 'daily', 'weekly', 'monthly', 'yearly'];

/** A simple repetition: a frequency with an occurrence count or a last day (included). */
export interface RecurrenceInput {
  frequency: Frequency;
  count?: number;
  /** `YYYY-MM-DD`. */
  until?: string;
}

/** The fields of the event dialog. Times are wall-clock times in Europe/Paris. */
export interface EventInput {
  personId: string;
  title: string;
  allDay: boolean;
  /** `YYYY-MM-DD` for an all-day event, else `YYYY-MM-DDTHH:MM`. */
  start: string;
  /** Same form as `start`; for an all-day event, the last day (included). */
  end?: string;
  kind: EventKind;
  practitioner?: string;
  facility?: string;
  specialty?: string;
  address?: string;
  notes?: string;
  /** Alarms in minutes before the start. */
  alarms: number[];
  /** Left out to keep the stored repetition of an edited event. */
  recurrence?: RecurrenceInput;
}

export interface EventDetail extends EventInput {
  uid: string;
  end: string;
  /** The event repeats in a way the dialog cannot show; saving keeps it unchanged. */
  customRecurrence: boolean;
}

export interface EventRef {
  personId: string;
  uid: string;
}

/** Result of `agendaImport`; counts are series (distinct UIDs). */
export interface IcsImportSummary {
  imported: number;
  updated: number;
  rejected: { line?: number; reason: Message }[];
}

export type SuggestionState = 'upcoming' | 'open' | 'planned' | 'done' | 'dismissed' | 'expired';

/** A check-up or prevention appointment the programme proposes to a person. */
export interface PreventionSuggestion {
  personId: string;
  id: string;
  /** i18n key of the label, under `agenda.suggestion.`. */
  labelKey: string;
  kind: 'child_checkup' | 'dental' | 'prevention_review';
  mandatory: boolean;
  certificate: boolean;
  windowStart: string;
  /** First day after the window. */
  windowEnd: string;
  state: SuggestionState;
  /** Date of the planned or done examination. */
  on?: string;
}

export type SuggestionDecision = 'plan' | 'done' | 'dismiss';

export interface NotificationSettings {
  enabled: boolean;
  /** Show the person, the event and the vaccines; off by default because notifications show on lock screens. */
  showDetails: boolean;
}

export interface VaccinationDue {
  personId: string;
  /** i18n key of the vaccine or check-up label, under `agenda.`. */
  labelKey: string;
  dueFrom: string;
  dueUntil?: string;
  mandatory: boolean;
  status: 'upcoming' | 'due' | 'overdue';
}

export interface JournalEntry {
  seq: number;
  at: string;
  actor: string;
  /** i18n key of the action, such as `action.document.import`. */
  action: string;
  target?: string;
}

export interface JournalVerification {
  ok: boolean;
  entries: number;
  firstBadSeq?: number;
}

/** Payload of the `export-progress` event, sent before the first document and after each one. */
export interface ExportProgress {
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
}

/** A document left out of an export because its content is missing or damaged. */
export interface ExportSkip {
  id: string;
  reason: Message;
}

/** Result of `export_archive`. When `cancelled` is set, no archive was written. */
export interface ExportSummary {
  people: number;
  documents: number;
  skipped: ExportSkip[];
  cancelled: boolean;
}

export interface SettingsPatch {
  language?: Language;
  autoLockMinutes?: number;
}

export const api = {
  appStatus: () => invoke<AppStatus>('app_status'),
  vaultOpenPath: (path: string) => invoke<void>('vault_open_path', { path }),
  passphraseCheck: (passphrase: string) => invoke<PassphraseCheck>('passphrase_check', { passphrase }),
  vaultCreate: (passphrase: string, remember: boolean) =>
    invoke<VaultCreated>('vault_create', { passphrase, remember }),
  vaultUnlock: (passphrase: string, remember: boolean) =>
    invoke<VaultUnlocked>('vault_unlock', { passphrase, remember }),
  vaultUnlockDevice: () => invoke<void>('vault_unlock_device'),
  vaultLock: () => invoke<void>('vault_lock'),
  /** Postpones the shell's auto-lock: the user is reading or typing. */
  reportActivity: () => invoke<void>('activity_report'),
  vaultRestore: (archivePath: string, passphrase: string) =>
    invoke<RestoreSummary>('vault_restore', { archivePath, passphrase }),
  vaultRecover: (recoveryKit: string, next: string) => invoke<void>('vault_recover', { recoveryKit, next }),
  passphraseChange: (current: string, next: string) => invoke<void>('passphrase_change', { current, next }),

  peopleList: () => invoke<Person[]>('people_list'),
  personAdd: (person: PersonInput) => invoke<Person>('person_add', { person }),
  personUpdate: (id: string, person: PersonInput) => invoke<Person>('person_update', { id, person }),

  documentsList: (filter: DocumentFilter, offset: number, limit: number) =>
    invoke<DocumentPage>('documents_list', { filter, offset, limit }),
  documentsSearch: (query: string, limit: number) => invoke<SearchHit[]>('documents_search', { query, limit }),
  documentGet: (id: string) => invoke<DocumentDetail>('document_get', { id }),
  /** Raw bytes of the original file, sent by the shell as a binary `Response`. */
  documentContent: (id: string) => invoke<ArrayBuffer>('document_content', { id }),
  documentThumbnail: (id: string) => invoke<ArrayBuffer>('document_thumbnail', { id }),
  /** Sanitised HTML of a CDA level 3 document, or `null` when it has none. */
  documentHtml: (id: string) => invoke<string | null>('document_html', { id }),
  documentUpdate: (id: string, patch: DocumentPatch) => invoke<void>('document_update', { id, ...patch }),
  documentDelete: (id: string) => invoke<void>('document_delete', { id }),
  documentSaveAs: (id: string, path: string) => invoke<void>('document_save_as', { id, path }),

  importFiles: (paths: string[], personId: string, force = false) =>
    invoke<ImportSummary>('import_files', { paths, personId, force }),
  importCancel: () => invoke<void>('import_cancel'),
  onImportProgress: (handler: (progress: ImportProgress) => void): Promise<UnlistenFn> =>
    listen<ImportProgress>('import-progress', (event) => handler(event.payload)),
  /** The shell locked the vault by itself (idle delay, OS lock); the payload is empty. */
  onVaultLocked: (handler: () => void): Promise<UnlistenFn> => listen('vault-locked', () => handler()),

  profileGet: (personId: string) => invoke<Profile>('profile_get', { personId }),
  /** Sets the blood group, or clears it with `null`. */
  bloodGroupSet: (personId: string, group: BloodGroup | null) =>
    invoke<void>('blood_group_set', { personId, group }),
  agendaList: (from: string, to: string, personId?: string) =>
    invoke<AgendaEvent[]>('agenda_list', { personId, from, to }),
  vaccinationsDue: (personId: string, at: string) => invoke<VaccinationDue[]>('vaccinations_due', { personId, at }),
  eventGet: (personId: string, uid: string) => invoke<EventDetail>('event_get', { personId, uid }),
  eventCreate: (event: EventInput) => invoke<EventRef>('event_create', { event }),
  /** Saves `event` over the series `uid` of `personId`; a different `event.personId` moves it. */
  eventUpdate: (personId: string, uid: string, event: EventInput) =>
    invoke<EventRef>('event_update', { personId, uid, event }),
  /** Deletes the whole series, or only the occurrence whose `recurrenceId` is `occurrence`. */
  eventDelete: (personId: string, uid: string, occurrence?: string) =>
    invoke<void>('event_delete', { personId, uid, occurrence }),
  agendaImport: (personId: string, path: string) => invoke<IcsImportSummary>('agenda_import', { personId, path }),
  preventionList: (personId: string, at: string) => invoke<PreventionSuggestion[]>('prevention_list', { personId, at }),
  preventionDecide: (personId: string, suggestionId: string, decision: SuggestionDecision, on?: string) =>
    invoke<void>('prevention_decide', { personId, suggestionId, decision, on }),
  notificationsGet: () => invoke<NotificationSettings>('notifications_get'),
  notificationsSet: (patch: Partial<NotificationSettings>) => invoke<NotificationSettings>('notifications_set', { ...patch }),

  exportArchive: (path: string) => invoke<ExportSummary>('export_archive', { path }),
  exportCancel: () => invoke<void>('export_cancel'),
  onExportProgress: (handler: (progress: ExportProgress) => void): Promise<UnlistenFn> =>
    listen<ExportProgress>('export-progress', (event) => handler(event.payload)),
  journalList: (offset: number, limit: number) => invoke<JournalEntry[]>('journal_list', { offset, limit }),
  journalVerify: () => invoke<JournalVerification>('journal_verify'),
  settingsSet: (patch: SettingsPatch) => invoke<void>('settings_set', { ...patch }),
};
