// The inputs and answers of the desktop's own operations (their ids and arguments are in contract.ts); the main
// process implements them.
import { z } from 'zod';
import { queryBool, queryInt } from './schemas/common';
import type { Progress } from './progress';
import { dashboardQuery, learnerFilterShape } from './dashboard';
import { learnerSortFields, sortOrders } from './schemas/learner';

export const SYNC_STATES = ['disabled', 'offline', 'connecting', 'syncing', 'idle', 'error', 'unauthorized'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

export interface SyncStatus {
  state: SyncState;
  lastSyncedAt: string | null;
  pending: number;
  conflicts: number;
  rejected: number;
  error: string | null;
  /** Deletions a pull would make that wait for the user's confirmation (most of the local records at once). */
  heldDeletes: number;
  /** When this device last heard the server, while it is not hearing it now (the status is then not "Synced"). */
  offlineSince: string | null;
  /** In plain words, when this device's clock is wrong enough to matter. */
  clockWarning: string | null;
  /** The last time this device and the server compared their records and found them alike. */
  verifiedAt: string | null;
  /** Repairs made after a comparison found records that differed (since the app started). */
  repairs: number;
  /** Records that still differ from the server's after a repair, in plain words; null when none. */
  mismatch: string | null;
  /**
   * Changes made here that could not be sent because their learner moved to a center this device does not serve
   * (since the app started): the server would refuse them, and the records left this device.
   */
  movedAway: number;
}

/** The languages the screens speak; the contract's own values and messages stay English whatever is chosen. */
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Settings {
  serverUrl: string | null;
  deviceName: string;
  hasToken: boolean;
  kiosk: boolean;
  /** Kiosk mode: seconds without a touch or a key before the screens start over. */
  kioskIdleSeconds: number;
  /** Whether the packaged app opens DevTools (from its next start). */
  developerTools: boolean;
  /** Minutes without a touch or a key before the app locks; 0: only "Lock now" locks it. */
  autoLockMinutes: number;
  /** How many backups are kept (the newest); files set aside as damaged are kept as many. */
  backupsToKeep: number;
  /** Who the server says this device is (its token's name, its centers), as of the last connection; null before. */
  identity: DeviceIdentity | null;
  /** The screens' language on this device; null until someone chooses one (the screens then follow the system's). */
  language: Language | null;
}

/** This device to the server: the name its changes are signed with and the centers whose learners it holds. */
export interface DeviceIdentity {
  name: string;
  admin: boolean;
  centers: { id: string; name: string }[];
}

export const DEFAULT_AUTO_LOCK_MINUTES = 10;
export const DEFAULT_BACKUPS_TO_KEEP = 10;

/** Loopback addresses: this computer only, where plain http carries nothing over a network. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export const SERVER_URL_MESSAGE = 'Use an address that starts with https:// (http:// only for this computer: localhost, 127.0.0.1 or ::1)';

/** A sync server's address: https, or http on this computer only. The device token travels with every request. */
export function isAllowedServerUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

export const settingsUpdate = z.strictObject({
  /** An empty text forgets the server. */
  serverUrl: z
    .string()
    .trim()
    .max(2048)
    .refine((value) => value === '' || isAllowedServerUrl(value), SERVER_URL_MESSAGE)
    .nullish(),
  token: z.string().max(512).nullish(),
  deviceName: z.string().trim().min(1).max(60).nullish(),
  developerTools: z.boolean().nullish(),
  autoLockMinutes: z.number().int().min(0).max(240).nullish(),
  backupsToKeep: z.number().int().min(1).max(100).nullish(),
  language: z.enum(LANGUAGES).nullish(),
});
export type SettingsUpdate = z.output<typeof settingsUpdate>;

/**
 * Where the app stands before any data can be shown: `new-passphrase` (first start on a device without a strong
 * keychain: choose one), `passphrase` (enter it to open the data), `starting`, `running`, `restoring` (a backup is
 * being put in place), `failed` (the data could not be opened; `message` says why, nothing was changed).
 */
export type AppPhase = 'new-passphrase' | 'passphrase' | 'starting' | 'running' | 'restoring' | 'failed';

export interface LockState {
  phase: AppPhase;
  /** Running, but locked: the screens show only the lock screen. */
  locked: boolean;
  /** What unlocks it now. */
  unlockWith: ('passphrase' | 'pin')[];
  /** Whether "Lock now" can lock (something must be able to unlock it again). */
  canLock: boolean;
  /** Minutes without activity before it locks by itself; 0: never (off, or nothing could unlock it). */
  autoLockMinutes: number;
  minPassphraseLength: number;
  /** What protects the data key: the system keychain, or a passphrase (where the keychain is weak or missing). */
  protectedBy: 'keychain' | 'passphrase' | null;
  message: string | null;
  /**
   * The device's chosen language, here because the lock screen and a kiosk's public screens may not read Settings;
   * null until one is chosen, and while the data (which keeps it) is not open.
   */
  language: Language | null;
}

export const unlockRequest = z.union([
  z.strictObject({ passphrase: z.string().min(1).max(1024) }),
  z.strictObject({ pin: z.string().min(1).max(32) }),
]);
export type UnlockRequest = z.output<typeof unlockRequest>;

export const newPassphrase = z.strictObject({ passphrase: z.string().max(1024), confirm: z.string().max(1024) });
export type NewPassphrase = z.output<typeof newPassphrase>;

/** A backup as Settings lists it (see electron/db/backups.ts for what each status means). */
export interface BackupEntry {
  name: string;
  createdAt: string;
  bytes: number;
  status: 'ok' | 'sealed' | 'other-key' | 'damaged';
  learners: number | null;
  profiles: number | null;
}

export const restoreRequest = z.strictObject({ name: z.string().min(1).max(200) });
export type RestoreRequest = z.output<typeof restoreRequest>;

/** What the screens need to know before drawing anything: kiosk or not, and in a kiosk, whose session this is. */
export interface AppSession {
  kiosk: boolean;
  /** A kiosk unlocked by staff: the counselor screens until it locks again. */
  staff: boolean;
  /** The one learner a kiosk session may see: registered or identified in it. */
  learnerId: string | null;
  /** Seconds without a touch or a key before a kiosk session ends (and a staff session locks). */
  idleSeconds: number;
}

/** A staff PIN: digits only, at least six. */
export const STAFF_PIN_PATTERN = /^\d{6,32}$/;
export const staffPin = z.strictObject({ pin: z.string().regex(STAFF_PIN_PATTERN, 'use at least 6 digits, digits only') });

/** How a learner at a kiosk proves who they are: email and birth date, both exact, or a code from a counselor. */
export const kioskIdentity = z.union([
  z.strictObject({ email_address: z.string().trim().min(1).max(128), birth_date: z.iso.date() }),
  z.strictObject({ code: z.string().trim().min(1).max(32) }),
]);
export type KioskIdentity = z.output<typeof kioskIdentity>;

/** A one-time code for a learner at a kiosk, shown once to the counselor who made it. */
export interface AccessCode {
  code: string;
  expires_time: string;
}

/**
 * Keep the value that was kept, put back the value that lost, or bring back a record deleted elsewhere with the
 * edits made to it; `mine` and `theirs` name the same values from this device's side (refused when this device wrote
 * neither).
 */
export const conflictChoice = z.enum(['kept', 'lost', 'restore', 'mine', 'theirs']);
export type ConflictChoice = z.output<typeof conflictChoice>;

/**
 * The learner list of the screens: any offset, text search on names and email, and the total for scrolling; and the
 * filters the dashboard's numbers link to (goal, employment, career field, study time, progress, profile, center,
 * registration days).
 */
const learnerListShape = {
  text: z.string().max(200).default(''),
  fetch_archive: queryBool,
  sort_by: z.enum(learnerSortFields).default('created_time'),
  sort_order: z.enum(sortOrders).default('descending'),
  ...learnerFilterShape,
};
export const learnerBrowseQuery = z.preprocess(
  (value) => value ?? {},
  z.object({ ...learnerListShape, offset: queryInt(0, Number.MAX_SAFE_INTEGER, 0), limit: queryInt(1, 500, 100) }),
);
export type LearnerBrowseQuery = z.output<typeof learnerBrowseQuery>;

/** Every live profile, newest first, at any offset (the screens' export). */
export const profileBrowseQuery = z.preprocess(
  (value) => value ?? {},
  z.object({ offset: queryInt(0, Number.MAX_SAFE_INTEGER, 0), limit: queryInt(1, 500, 100) }),
);
export type ProfileBrowseQuery = z.output<typeof profileBrowseQuery>;

/** Reports: the learner list as filtered, or the dashboard's tables, as a file. */
export const REPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const learnerExportRequest = z.strictObject({
  format: z.enum(REPORT_FORMATS),
  query: z.preprocess((value) => value ?? {}, z.object(learnerListShape)),
});
export type LearnerExportRequest = z.output<typeof learnerExportRequest>;
export const dashboardExportRequest = z.strictObject({ format: z.enum(REPORT_FORMATS), query: dashboardQuery });
export type DashboardExportRequest = z.output<typeof dashboardExportRequest>;

/** Where a file made by the main process went: saved where the user chose (the app), or ready to download (preview). */
export type Delivery = { kind: 'saved'; path: string } | { kind: 'download'; url: string } | { kind: 'cancelled' };

export interface ReportFile {
  file_name: string;
  /** Rows written (records, or the tables' rows). */
  rows: number;
  bytes: number;
  delivery: Delivery;
}

/** A list cut short for one printed page: the first items, and how many more there are. */
export interface Shortened<T> {
  items: T[];
  more: number;
}

/**
 * A learner's printable profile: what the learner may take home (their details and their profile, no internal field,
 * no other learner), lists shortened so that it fits one page, and the name of their center when the device knows it.
 */
export interface ProfileSheet {
  center_name: string | null;
  printed_time: string;
  learner: {
    first_name: string;
    last_name: string;
    preferred_name: string;
    email_address: string;
    mobile_phone: string;
    home_phone: string;
    birth_date: string;
    city: string;
    postal_code: string;
    student_identifier: string;
    created_time: string;
    is_archived: boolean;
  };
  profile: {
    learning_goals: Shortened<string>;
    weekly_study_time: number | null;
    employment_status: string;
    potential_career_fields: string[];
    personal_goals: string;
    contact: { email: boolean; phone: boolean };
    skills: Shortened<string>;
    competencies: Shortened<string>;
    achievements: Shortened<string>;
    progress: Shortened<{ kind: string; name: string; status: string }>;
    complete: boolean;
    last_modified_time: string;
  } | null;
  /** Whether this host can save the sheet as a PDF itself (the app); the browser preview prints instead. */
  can_save_pdf: boolean;
}

export type RecordSyncState = 'synced' | 'pending' | 'conflict' | 'rejected';

/** A conflict log entry as the screens show it: values parsed, times as the wall-clock instant of each edit. */
export interface ConflictEntry {
  id: string;
  recordType: 'learner' | 'learner_profile';
  recordId: string;
  learnerId: string;
  learnerName: string;
  field: string;
  /** `field`: two edits of one field; `deleted`: an edit of a record deleted elsewhere. */
  kind: 'field' | 'deleted';
  kept: unknown;
  lost: unknown;
  keptDevice: string | null;
  lostDevice: string | null;
  keptAt: string | null;
  lostAt: string | null;
  /** Which of the two values this device wrote, if either. */
  mine: 'kept' | 'lost' | null;
  resolved: boolean;
  resolution: 'kept' | 'lost' | 'restore' | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

/** What the main process pushes to the screens when data changes, or how far an import has got. */
export interface ChangeEvent {
  /** `lock`: the app locked, unlocked, or its data was replaced (a restore): ask for the lock state again. */
  collection: 'learners' | 'learner_profiles' | 'achievements' | 'sync' | 'progress' | 'lock';
  ids: string[];
  progress?: Progress;
}
