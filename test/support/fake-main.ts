// A main process for the screens' tests, as `window.api` sees it: one record of everything the screens ask for
// (lock state, session, settings, sync, learners and profiles, conflicts, backups, dashboard figures), answered from
// a state the test can change, and every call recorded. Its people and values are written without English words, so
// that a test can look for English left on a translated screen.
import { buildClient } from '../../shared/client';
import type { DashboardFigures } from '../../shared/dashboard';
import type { AppSession, BackupEntry, ConflictEntry, LockState, ProfileSheet, Settings, SyncStatus } from '../../shared/desktop';
import type { Result } from '../../shared/result';
import type { Achievement } from '../../shared/schemas/achievement';
import type { Learner } from '../../shared/schemas/learner';
import type { Profile } from '../../shared/schemas/profile';

const TIME = '2031-06-15 14:05:00.000000+00:00';
export const LEARNER_ID = 'AdaAdaAdaAdaAdaAda01';
const PROFILE_ID = 'PerfilPerfilPerfil01';
const ACHIEVEMENT_ID = 'LogroLogroLogroLogro';

export function fakeWorld() {
  const lock: LockState = {
    phase: 'running',
    locked: false,
    unlockWith: ['passphrase', 'pin'],
    canLock: true,
    autoLockMinutes: 10,
    minPassphraseLength: 12,
    protectedBy: 'passphrase',
    message: null,
    language: null,
  };
  const session: AppSession = { kiosk: false, staff: false, learnerId: null, idleSeconds: 3600 };
  const settings: Settings = {
    serverUrl: 'https://servidor.ejemplo.org',
    deviceName: 'Portátil 7',
    hasToken: true,
    kiosk: false,
    kioskIdleSeconds: 120,
    developerTools: false,
    autoLockMinutes: 10,
    backupsToKeep: 10,
    identity: { name: 'portatil-7', admin: true, centers: [{ id: 'norte', name: 'Centro Norte' }, { id: 'sur', name: 'Centro Sur' }] },
    language: null,
  };
  const sync: SyncStatus = {
    state: 'offline',
    lastSyncedAt: TIME,
    pending: 3,
    conflicts: 2,
    rejected: 1,
    error: 'Not hearing the server since 2:05 PM. Reconnecting…',
    heldDeletes: 0,
    offlineSince: '2031-06-15T14:05:00.000Z',
    clockWarning: "This device's clock is 3 hours ahead of the server's. Changes are dated by the server's time meanwhile; set the correct date and time in the system settings.",
    verifiedAt: null,
    repairs: 0,
    mismatch: "Some records on this device differ from the server's (2 groups). Sync keeps repairing them.",
    movedAway: 2,
  };
  const learner: Learner = {
    uuid: LEARNER_ID,
    first_name: 'Ada',
    last_name: 'Lovelace',
    middle_name: '',
    email_address: 'ada@ejemplo.org',
    preferred_name: 'Adita',
    birth_date: '1990-04-12',
    city: 'Monterrey',
    postal_code: '64000',
    student_identifier: 'M-0042',
    phone_number: { mobile: { phone_number: '+52 81 5555 0100', phone_number_type: 'Mobile', primary_phone_number_indicator: 'Yes' } },
    is_archived: false,
    created_time: TIME,
    last_modified_time: TIME,
  } as unknown as Learner;
  const profile: Profile = {
    uuid: PROFILE_ID,
    learner_id: LEARNER_ID,
    learning_goals: ['To start a new career', "To feel proud of what I've done"],
    learning_constraints: { weekly_study_time: 12 },
    employment_status: 'Seeking work',
    potential_career_fields: ['Healthcare', 'Legal'],
    personal_goals: 'Trabajar con animales',
    contact_preferences: { email: true, phone: true },
    tagged_skills: ['carpintería'],
    tagged_competencies: ['liderazgo'],
    achievements: [ACHIEVEMENT_ID],
    progress: {
      curriculum_pathways: { u1: { name: 'Unidad 1', status: 'in_progress' } },
      learning_experiences: {},
      learning_objects: {},
      learning_resources: {},
      assessments: { e1: { name: 'Examen final', status: 'evaluation_pending' } },
    },
    created_time: TIME,
    last_modified_time: TIME,
  } as unknown as Profile;
  const achievements = [{ uuid: ACHIEVEMENT_ID, name: 'Primeros auxilios', type: 'competency' }] as unknown as Achievement[];
  const conflicts: ConflictEntry[] = [
    {
      id: 'c1', recordType: 'learner_profile', recordId: PROFILE_ID, learnerId: LEARNER_ID, learnerName: 'Ada Lovelace', field: 'personal_goals', kind: 'field',
      kept: 'Cuidar animales', lost: '', keptDevice: 'Portátil 7', lostDevice: null, keptAt: '2031-06-15T14:05:00.000Z', lostAt: null, mine: 'kept',
      resolved: false, resolution: null, resolvedBy: null, resolvedAt: null,
    },
    {
      id: 'c2', recordType: 'learner', recordId: LEARNER_ID, learnerId: LEARNER_ID, learnerName: 'Ada Lovelace', field: 'city', kind: 'deleted',
      kept: null, lost: 'Saltillo', keptDevice: 'Quiosco 2', lostDevice: 'Portátil 7', keptAt: '2031-06-14T10:00:00.000Z', lostAt: '2031-06-14T11:00:00.000Z', mine: 'lost',
      resolved: false, resolution: null, resolvedBy: null, resolvedAt: null,
    },
    {
      id: 'c3', recordType: 'learner', recordId: LEARNER_ID, learnerId: LEARNER_ID, learnerName: 'Ada Lovelace', field: 'postal_code', kind: 'field',
      kept: '64000', lost: '64001', keptDevice: 'Portátil 7', lostDevice: 'Quiosco 2', keptAt: '2031-06-13T10:00:00.000Z', lostAt: '2031-06-13T09:00:00.000Z', mine: null,
      resolved: true, resolution: 'kept', resolvedBy: 'Portátil 7', resolvedAt: TIME,
    },
  ];
  const backups: BackupEntry[] = [
    { name: 'b1', createdAt: TIME, bytes: 1000, status: 'ok', learners: 120, profiles: 1 },
    { name: 'b2', createdAt: TIME, bytes: 1000, status: 'sealed', learners: null, profiles: null },
    { name: 'b3', createdAt: TIME, bytes: 1000, status: 'other-key', learners: null, profiles: null },
    { name: 'b4', createdAt: TIME, bytes: 1000, status: 'damaged', learners: null, profiles: null },
  ];
  const figures = (query: unknown): DashboardFigures => ({
    query: query as DashboardFigures['query'],
    centers: [
      { id: 'norte', name: 'Centro Norte', learners: 70 },
      { id: 'sur', name: null, learners: 57 },
    ],
    month_start: '2031-06-01',
    totals: { active: 1200, archived: 7, new_this_month: 9 },
    learners: 1200,
    with_profile: 1000,
    profiles: [
      { key: 'complete', count: 600 },
      { key: 'incomplete', count: 400 },
      { key: 'missing', count: 200 },
    ],
    goals: { top: [{ key: 'To make more money', count: 500 }, { key: "To feel proud of what I've done", count: 300 }], other_values: 4, other_learners: 11 },
    employment: [
      { key: 'Full-time', count: 200 },
      { key: 'Part-time', count: 200 },
      { key: 'Seeking work', count: 300 },
      { key: 'Unemployed', count: 200 },
      { key: 'not_given', count: 100 },
    ],
    study_time: [
      { key: '0', count: 50 },
      { key: '1-5', count: 250 },
      { key: '6-10', count: 400 },
      { key: '11-15', count: 100 },
      { key: '16-20', count: 100 },
      { key: '21-25', count: 50 },
      { key: '26-30', count: 30 },
      { key: 'not_given', count: 20 },
    ],
    careers: { top: [{ key: 'Healthcare', count: 330 }, { key: 'Sales', count: 20 }], other_values: 0, other_learners: 0 },
    progress: [
      { key: 'none', count: 100 },
      { key: 'not_started', count: 200 },
      { key: 'in_progress', count: 500 },
      { key: 'completed', count: 200 },
    ],
    computed_time: TIME,
  });
  const sheet = (): ProfileSheet => ({
    center_name: null,
    printed_time: TIME,
    learner: {
      first_name: 'Ada', last_name: 'Lovelace', preferred_name: 'Adita', email_address: 'ada@ejemplo.org', mobile_phone: '+52 81 5555 0100', home_phone: '',
      birth_date: '1990-04-12', city: 'Monterrey', postal_code: '64000', student_identifier: 'M-0042', created_time: TIME, is_archived: true,
    },
    profile: {
      learning_goals: { items: ['To start a new career', 'To make more money'], more: 3 },
      weekly_study_time: 12,
      employment_status: 'Part-time',
      potential_career_fields: ['Healthcare', 'Sales'],
      personal_goals: 'Trabajar con animales',
      contact: { email: true, phone: false },
      skills: { items: ['carpintería'], more: 0 },
      competencies: { items: [], more: 0 },
      achievements: { items: ['Primeros auxilios'], more: 0 },
      progress: { items: [{ kind: 'assessments', name: 'Examen final', status: 'non_evaluated' }], more: 25 },
      complete: false,
      last_modified_time: TIME,
    },
    can_save_pdf: true,
  });
  return {
    lock,
    session,
    settings,
    sync,
    learner,
    /** The learner's profile; null: none yet. */
    profile: profile as Profile | null,
    achievements,
    conflicts,
    backups,
    figures,
    sheet,
    info: { version: '0.1.0', dataDir: '/datos/perfiles', databaseFile: '/datos/perfiles/base.sqlite', movedAside: '/datos/perfiles/base-apartada.sqlite' as string | null },
    /** Answers that replace the usual ones for an operation. */
    answers: new Map<string, (args: unknown[]) => Result>(),
  };
}

export type FakeWorld = ReturnType<typeof fakeWorld>;

// A copy, as over IPC: a later change to the world is a new answer, not an edit of one the screens hold.
const ok = (data: unknown): Result => ({ status: 200, body: { success: true, message: 'ok', data: structuredClone(data) } });
const refused = (status: number, message: string): Result => ({ status, body: { success: false, message, data: null } });

function answer(world: FakeWorld, id: string, args: unknown[]): Result {
  const special = world.answers.get(id);
  if (special) return special(args);
  switch (id) {
    case 'app.lockState':
      return ok(world.lock);
    case 'app.session':
      return ok(world.session);
    case 'settings.get':
      return world.session.kiosk && !world.session.staff ? refused(403, 'Not available in kiosk mode') : ok(world.settings);
    case 'settings.update': {
      if (world.session.kiosk && !world.session.staff) return refused(403, 'Not available in kiosk mode');
      const changes = args[0] as Partial<Settings>;
      Object.assign(world.settings, changes);
      // The main process tells the lock screen the language it keeps in the settings.
      if (changes.language) world.lock.language = changes.language;
      return ok(world.settings);
    }
    case 'sync.status':
      return ok(world.sync);
    case 'sync.conflicts':
      return ok(world.conflicts);
    case 'learner.get':
      return ok(world.learner);
    case 'learnerProfile.getByLearner':
      return world.profile ? ok(world.profile) : refused(404, `LearnerProfile with learner id ${String(args[0])} not found`);
    case 'learner.syncStates':
      return ok({ [LEARNER_ID]: 'pending' });
    case 'learner.browse':
      return ok({ records: [world.learner], total_count: 1 });
    case 'achievement.list':
      return ok({ records: world.achievements, total_count: world.achievements.length });
    case 'dashboard.figures':
      return ok(world.figures(args[0]));
    case 'report.profileSheet':
      return ok(world.sheet());
    case 'app.listBackups':
      return ok(world.backups);
    case 'app.info':
      return ok(world.info);
    default:
      return ok(null);
  }
}

/** Installs the fake as `window.api`; the returned calls list grows with every call the screens make. */
export function installFakeMain(world: () => FakeWorld): { id: string; args: unknown[] }[] {
  const calls: { id: string; args: unknown[] }[] = [];
  window.api = buildClient(
    async (id, args) => {
      calls.push({ id, args });
      return answer(world(), id, args);
    },
    () => () => {},
  );
  return calls;
}
