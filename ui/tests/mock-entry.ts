/**
 * Test entry: replaces Tauri's IPC with an in-memory backend that follows the contract
 * of `src/lib/api.ts`, records every call in `window.__carnet.calls`, then loads the app.
 *
 * Query parameters choose the starting state:
 * - `state=fresh|locked|unlocked` (default `unlocked`);
 * - `docs=N` sets the number of documents (default 240);
 * - `remembered=1` marks the device as remembered;
 * - `fail=command` makes that command reject with `error.io`;
 * - `people=0` starts with a vault that contains no one (use it with `docs=0`).
 * - `keyring=fail` makes "remember this device" fail with a warning, as when no
 *   secret service runs;
 * - `exportDelay=MS` sets the time the export spends on each document (default 150);
 * - `exportSkip=1` makes the export leave out one damaged document;
 * - `pick=mismatch` makes the file dialog return one document of another patient.
 */
import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import pdfUrl from './fixtures/libreoffice-writer-trivial.pdf?url';
import imageUrl from './fixtures/Portrait_8_orient8.jpg?url';
import type {
  BloodGroup,
  Category,
  DocumentDetail,
  DocumentFilter,
  DocumentSummary,
  Person,
  PersonInput,
  Profile,
} from '../src/lib/api';
import { CATEGORIES } from '../src/lib/api';
import { AGENDA_COMMANDS, handleAgenda } from './mock-agenda';

const params = new URLSearchParams(location.search);
const startState = params.get('state') ?? 'unlocked';
const documentCount = Number(params.get('docs') ?? 240);
const failing = new Set((params.get('fail') ?? '').split(',').filter(Boolean));

export const PASSPHRASE = 'cheval agrafe batterie correcte';
const KIT = 'CARNET-RK1 7H3Q-MZ2K-94XD-PL0A-W6TE-R8NB-C5FJ-YV1S';

const vault = {
  exists: startState !== 'fresh',
  unlocked: startState === 'unlocked',
  remembered: params.get('remembered') === '1',
  language: 'fr',
  autoLockMinutes: 5,
  importCancelled: false,
  exportCancelled: false,
};

/** Blood groups set through `blood_group_set`, by person id; `null` once cleared. */
const bloodGroups = new Map<string, BloodGroup | null>();

const KEYRING_WARNING = { key: 'warning.remember_failed', params: { reason: 'org.freedesktop.secrets was not provided by any .service files' } };

function rememberWarning(remember: unknown) {
  return remember && params.get('keyring') === 'fail' ? { warning: KEYRING_WARNING } : {};
}

let people: Person[] = [
  { id: 'p1', name: 'Camille Martin', birthDate: '1988-05-02', sex: 'female', relation: 'titulaire', ins: '288057512345678' },
  { id: 'p2', name: 'Léo Martin', birthDate: '2023-03-14', sex: 'male', relation: 'enfant' },
  { id: 'p3', name: 'Jeanne Martin', birthDate: '1941-11-20', sex: 'female', relation: 'tutelle' },
];
if (params.get('people') === '0') people = [];

const TITLES = [
  'Bilan sanguin complet',
  'Ordonnance pédiatre',
  'Compte rendu de consultation',
  'Radiographie du poignet',
  'Certificat de sport',
  'Attestation de droits',
  'Dépistage auditif',
];

function makeDocument(index: number): DocumentSummary {
  const category = CATEGORIES[index % CATEGORIES.length] as Category;
  const day = new Date(Date.UTC(2025, 11, 1) - index * 86_400_000 * 0.9);
  return {
    id: `doc-${index}`,
    personId: people[index % people.length].id,
    title: `${TITLES[index % TITLES.length]} n° ${index + 1}`,
    category,
    date: day.toISOString().slice(0, 10),
    source: index % 5 === 0 ? 'dmp' : 'import',
    // The shell reports CDA files as application/xml.
    mediaType: ['application/pdf', 'image/jpeg', 'application/xml', 'application/fhir+json'][index % 4],
    size: 12_609 + index * 37,
    hasText: index % 4 !== 1,
    textStatus: index % 4 === 1 ? 'none' : 'extracted',
    pages: index % 4 === 0 ? 1 : undefined,
  };
}

let documents: DocumentSummary[] = Array.from({ length: documentCount }, (_, i) => makeDocument(i));

function ordered(list: DocumentSummary[]): DocumentSummary[] {
  return [...list].sort(
    (a, b) =>
      CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) || b.date.localeCompare(a.date) || a.id.localeCompare(b.id),
  );
}

function filtered(filter: DocumentFilter): DocumentSummary[] {
  return ordered(
    documents.filter(
      (d) =>
        (!filter.personId || d.personId === filter.personId) &&
        (!filter.category || d.category === filter.category) &&
        (!filter.source || d.source === filter.source) &&
        (!filter.year || d.date.startsWith(String(filter.year))),
    ),
  );
}

function detail(doc: DocumentSummary): DocumentDetail {
  const fhir = doc.mediaType === 'application/fhir+json' || doc.mediaType === 'application/xml';
  return {
    ...doc,
    provenance: { importedAt: '2025-12-02T09:30:00Z', fileName: `${doc.id}.bin`, sha256: 'ab'.repeat(32) },
    authors: [{ name: 'Dr Alice Durand', role: 'Pédiatre', organisation: 'Cabinet des Lilas' }],
    dmpCodes: doc.source === 'dmp' ? { typeCode: '11502-2', uniqueId: '1.2.250.1.213.1.4.8.42' } : {},
    entries: fhir
      ? [
          { resourceType: 'Observation', display: 'Hémoglobine', value: '13,2 g/dL', date: '2025-11-28' },
          { resourceType: 'Immunization', display: 'ROR (rougeole, oreillons, rubéole)', date: '2024-04-14' },
        ]
      : [],
  };
}

const CDA_HTML =
  '<h1>Compte rendu de biologie</h1><p>Hémoglobine : <b>13,2 g/dL</b></p>' +
  '<script>parent.document.body.dataset.pwned = "1"</script><img src="https://example.invalid/track.png" alt="">';

/** Returns the blood group set through `blood_group_set`, else A+ for adults and unknown for the child. */
function bloodGroupFor(personId: string, child: boolean): BloodGroup | null {
  const set = bloodGroups.get(personId);
  if (set !== undefined) return set;
  return child ? null : 'A+';
}

function profileFor(personId: string): Profile {
  const child = personId === 'p2';
  return {
    allergies: child ? [] : [{ substance: 'Pénicilline', reaction: 'Urticaire', criticality: 'high' }],
    treatments: personId === 'p3' ? [{ name: 'Lévothyroxine 50 µg', dosage: '1 comprimé le matin' }] : [],
    conditions: personId === 'p3' ? [{ name: 'Hypothyroïdie', since: '2010-06-01', status: 'active' }] : [],
    bloodGroup: bloodGroupFor(personId, child),
    vaccinations: child
      ? [
          { vaccine: 'Hexavalent (DTCaP-Hib-HepB)', date: '2023-05-15', lot: 'A21CB045', dose: '1' },
          { vaccine: 'Pneumocoque conjugué 13', date: '2023-05-15', lot: 'PN8812', dose: '1' },
          { vaccine: 'ROR', date: '2024-03-20', lot: 'MMR3310', dose: '1' },
        ]
      : [{ vaccine: 'dTcaP', date: '2013-04-02', lot: 'BX2231' }],
    measurements: child
      ? [
          { kind: 'weight', value: 3.4, unit: 'kg', date: '2023-03-14' },
          { kind: 'weight', value: 5.6, unit: 'kg', date: '2023-05-15' },
          { kind: 'weight', value: 7.9, unit: 'kg', date: '2023-09-14' },
          { kind: 'weight', value: 9.6, unit: 'kg', date: '2024-03-20' },
          { kind: 'weight', value: 12.1, unit: 'kg', date: '2025-03-15' },
          { kind: 'height', value: 50, unit: 'cm', date: '2023-03-14' },
          { kind: 'height', value: 58, unit: 'cm', date: '2023-05-15' },
          { kind: 'height', value: 67, unit: 'cm', date: '2023-09-14' },
          { kind: 'height', value: 76, unit: 'cm', date: '2024-03-20' },
          { kind: 'height', value: 87, unit: 'cm', date: '2025-03-15' },
        ]
      : [
          { kind: 'weight', value: 64, unit: 'kg', date: '2021-02-01' },
          { kind: 'weight', value: 66.5, unit: 'kg', date: '2023-06-12' },
          { kind: 'weight', value: 65.2, unit: 'kg', date: '2025-10-03' },
        ],
  };
}

const calls: { cmd: string; args: unknown }[] = [];
const cspViolations: string[] = [];
document.addEventListener('securitypolicyviolation', (event) => {
  cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  return (await fetch(url)).arrayBuffer();
}

function requireUnlocked() {
  if (!vault.unlocked) throw { key: 'error.vault_locked', params: {} };
}

async function handle(cmd: string, args: Record<string, any>): Promise<unknown> {
  if (failing.has(cmd)) throw { key: 'error.io', params: { path: '/home/camille/Carnet', reason: 'permission denied' } };
  if (AGENDA_COMMANDS.has(cmd)) {
    if (!cmd.startsWith('notifications_')) requireUnlocked();
    return handleAgenda(cmd, args);
  }
  switch (cmd) {
    case 'app_status':
      return {
        vaultPath: vault.exists ? '/home/camille/Carnet' : null,
        vaultExists: vault.exists,
        unlocked: vault.unlocked,
        remembered: vault.remembered,
        language: vault.language,
        autoLockMinutes: vault.autoLockMinutes,
        version: '0.1.0',
      };
    case 'passphrase_check': {
      const length = String(args.passphrase).length;
      const score = length < 8 ? 0 : length < 12 ? 1 : length < 20 ? 3 : 4;
      const reasons = length < 12 ? ['passphrase.too_short', 'passphrase.hint'] : [];
      return { acceptable: length >= 12, score, reasons };
    }
    case 'vault_create':
      vault.exists = true;
      vault.unlocked = true;
      vault.remembered = Boolean(args.remember) && params.get('keyring') !== 'fail';
      return { recoveryKit: KIT, ...rememberWarning(args.remember) };
    case 'vault_open_path':
      vault.exists = true;
      return null;
    case 'vault_restore':
      vault.exists = true;
      vault.unlocked = true;
      return { recoveryKit: KIT, people: people.length, documents: documents.length };
    case 'vault_unlock':
      if (args.passphrase !== PASSPHRASE) throw { key: 'error.wrong_passphrase', params: {} };
      vault.unlocked = true;
      return rememberWarning(args.remember);
    case 'vault_unlock_device':
      throw { key: 'error.keyring', params: { reason: 'Secret Service' } };
    case 'activity_report':
      return null;
    case 'vault_lock':
      vault.unlocked = false;
      return null;
    case 'vault_recover':
      if (!String(args.recoveryKit).startsWith('CARNET-RK1')) throw { key: 'error.wrong_recovery_kit', params: {} };
      return null;
    case 'passphrase_change':
      if (args.current !== PASSPHRASE) throw { key: 'error.wrong_passphrase', params: {} };
      return null;
    case 'people_list':
      requireUnlocked();
      return people;
    case 'person_add':
    case 'person_update': {
      requireUnlocked();
      const input = args.person as PersonInput;
      if (input.ins && !/^[12]\d{14}$/.test(input.ins)) {
        throw { key: 'error.invalid_ins', params: { value: input.ins, reason: '15 chiffres' } };
      }
      const person = { ...input, id: cmd === 'person_add' ? `p${people.length + 1}` : String(args.id) };
      people = cmd === 'person_add' ? [...people, person] : people.map((p) => (p.id === person.id ? person : p));
      return person;
    }
    case 'documents_list': {
      requireUnlocked();
      const list = filtered(args.filter ?? {});
      return { total: list.length, items: list.slice(args.offset, args.offset + args.limit) };
    }
    case 'documents_search': {
      requireUnlocked();
      const query = String(args.query);
      return documents.slice(0, 3).map((document, i) => ({
        document,
        snippet: `… résultat \uE000${query}\uE001 dans <img src=x onerror="document.body.dataset.pwned=1"> le texte ${i + 1} …`,
        score: 1 - i / 10,
      }));
    }
    case 'document_get': {
      requireUnlocked();
      const doc = documents.find((d) => d.id === args.id);
      if (!doc) throw { key: 'error.document_not_found', params: { id: args.id } };
      return detail(doc);
    }
    case 'document_content': {
      requireUnlocked();
      const doc = documents.find((d) => d.id === args.id);
      return fetchBytes(doc?.mediaType === 'image/jpeg' ? imageUrl : pdfUrl);
    }
    case 'document_html': {
      requireUnlocked();
      // Only CDA documents have an HTML rendering; the shell returns null for the others.
      const doc = documents.find((d) => d.id === args.id);
      return doc?.mediaType === 'application/xml' ? CDA_HTML : null;
    }
    case 'document_update':
      requireUnlocked();
      documents = documents.map((d) =>
        d.id === args.id ? { ...d, ...(args.title ? { title: args.title } : {}), ...(args.category ? { category: args.category } : {}), ...(args.date ? { date: args.date } : {}) } : d,
      );
      return null;
    case 'document_delete':
      requireUnlocked();
      documents = documents.filter((d) => d.id !== args.id);
      return null;
    case 'document_save_as':
      requireUnlocked();
      return null;
    case 'import_files': {
      requireUnlocked();
      vault.importCancelled = false;
      const paths = args.paths as string[];
      let imported = 0;
      const rejected = [];
      for (const [i, path] of paths.entries()) {
        if (vault.importCancelled) break;
        await new Promise((resolve) => setTimeout(resolve, Number(params.get('importDelay') ?? 150)));
        const file = path.split('/').pop() ?? path;
        if (file.endsWith('.exe')) rejected.push({ file, reason: { key: 'import.unsupported', params: { format: 'EXE', reason: 'programme' } } });
        else if (file.startsWith('autre-patient') && !args.force)
          rejected.push({ file, reason: { key: 'import.patient_mismatch', params: { names: 'DUPONT Jean', birth_date: '1950-01-01' } }, forcePath: path });
        else if (file.startsWith('empty')) rejected.push({ file, reason: { key: 'import.empty', params: {} } });
        else imported += 1;
        await emit('import-progress', { done: i + 1, total: paths.length, file });
      }
      return { imported, duplicates: paths.filter((p) => p.includes('copie')).length, rejected, cancelled: vault.importCancelled };
    }
    case 'import_cancel':
      vault.importCancelled = true;
      return null;
    case 'profile_get':
      requireUnlocked();
      return profileFor(String(args.personId));
    case 'blood_group_set': {
      requireUnlocked();
      const group = args.group ?? null;
      if (group !== null && !/^(A|B|AB|O)[+-]$/.test(group)) {
        throw { key: 'error.invalid_input', params: { field: 'blood group', value: group, reason: 'A+ … O-' } };
      }
      bloodGroups.set(String(args.personId), group);
      return null;
    }
    case 'vaccinations_due':
      requireUnlocked();
      return args.personId === 'p2'
        ? [{ personId: 'p2', labelKey: 'agenda.vaccine.dtcap', dueFrom: '2026-03-14', mandatory: true, status: 'due' }]
        : [];
    case 'export_archive': {
      requireUnlocked();
      vault.exportCancelled = false;
      const total = 4;
      const size = 12_609;
      await emit('export-progress', { done: 0, total, bytesDone: 0, bytesTotal: total * size });
      for (let done = 1; done <= total; done++) {
        await new Promise((resolve) => setTimeout(resolve, Number(params.get('exportDelay') ?? 150)));
        if (vault.exportCancelled) return { people: 0, documents: 0, skipped: [], cancelled: true };
        await emit('export-progress', { done, total, bytesDone: done * size, bytesTotal: total * size });
      }
      const skipped =
        params.get('exportSkip') === '1'
          ? [{ id: 'doc-3', reason: { key: 'export.skipped_damaged', params: { id: 'doc-3', detail: 'chunk 3f2a…: hash mismatch' } } }]
          : [];
      return { people: people.length, documents: total - skipped.length, skipped, cancelled: false };
    }
    case 'export_cancel':
      vault.exportCancelled = true;
      return null;
    case 'journal_list':
      requireUnlocked();
      return [
        { seq: 3, at: '2025-12-02T09:30:00Z', actor: 'Camille Martin', action: 'journal.action.import', target: 'Bilan sanguin complet n° 1' },
        { seq: 2, at: '2025-12-01T18:02:00Z', actor: 'Camille Martin', action: 'journal.action.unlock' },
        { seq: 1, at: '2025-11-30T08:00:00Z', actor: 'Camille Martin', action: 'journal.action.passphrase' },
      ];
    case 'journal_verify':
      requireUnlocked();
      return { ok: true, entries: 3 };
    case 'settings_set':
      if (args.language) vault.language = args.language;
      if (args.autoLockMinutes) vault.autoLockMinutes = args.autoLockMinutes;
      return null;
    case 'plugin:dialog|open':
      if (args.options?.directory) return '/home/camille/Carnet';
      if (args.options?.multiple)
        return params.get('pick') === 'mismatch'
          ? ['/home/camille/autre-patient.xml']
          : ['/home/camille/scan-ordonnance.pdf', '/home/camille/photo.jpg', '/home/camille/virus.exe', '/home/camille/empty.pdf'];
      return '/home/camille/carnet-export.zip';
    case 'plugin:dialog|save':
      return '/home/camille/saved.pdf';
    default:
      throw { key: 'error.unexpected', params: { cmd } };
  }
}

mockWindows('main');
mockIPC(
  async (cmd, args) => {
    calls.push({ cmd, args });
    return handle(cmd, (args ?? {}) as Record<string, any>);
  },
  { shouldMockEvents: true },
);

declare global {
  interface Window {
    __carnet: { calls: typeof calls; emit: typeof emit; passphrase: string; cspViolations: string[] };
  }
}
window.__carnet = { calls, emit, passphrase: PASSPHRASE, cspViolations };

await import('../src/main');
