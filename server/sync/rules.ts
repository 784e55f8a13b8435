// What a pushed document must satisfy before the server stores it: the stored zod schemas the app uses, and the
// contract's learner rules. Each check answers a reason the client shows next to the change it keeps, or nothing.
import { profileUuidFor } from '../../shared/ids';
import { messages } from '../../shared/messages';
import type { WriteStore } from '../../shared/repository';
import { VALIDATION_FAILED, type ErrorDetail } from '../../shared/result';
import { storedLearner, type StoredLearner } from '../../shared/schemas/learner';
import { storedConflict, type StoredConflict } from '../../shared/schemas/conflict';
import { storedProfile, type StoredProfile } from '../../shared/schemas/profile';
import { emailLock, learnerLock } from '../../shared/service/locks';
import { parseInput } from '../../shared/validation';

export type Checked<T> = { ok: true; doc: T } | { ok: false; reason: string };

const reject = (reason: string) => ({ ok: false, reason }) as const;

const summarize = (details: ErrorDetail[]) =>
  details.map((detail) => `${detail.loc.slice(1).join('.') || 'document'}: ${detail.msg}`).join('; ');

/** The rules one collection's documents follow on the server. */
export interface DocumentRules<T extends { uuid: string; created_time: string }> {
  /** Checks that need no database: the schema and rules within the document. */
  parse(doc: Record<string, unknown>): Checked<T>;
  /** The advisory lock that serializes writers of this document with the REST service's. */
  lockKey(doc: T): string;
  /** Checks against the other documents, inside the writing transaction (after `lockKey` is held). */
  check(tx: WriteStore, doc: T, current: T | undefined): Promise<string | undefined>;
  get(tx: WriteStore, uuid: string): Promise<T | undefined>;
  put(tx: WriteStore, doc: T): Promise<void>;
  /** The center a document belongs to (its learner's), as stored: for the token's scope. */
  centerOf(tx: WriteStore, doc: T): Promise<string | undefined>;
}

export const MOVE_NOT_ALLOWED = 'Only an administrator can move a learner to another center';

const learnerCenter = async (tx: WriteStore, learnerId: string) => (await tx.getLearner(learnerId))?.center_id;

function parseWith<T>(schema: Parameters<typeof parseInput>[0], doc: Record<string, unknown>): Checked<T> {
  const parsed = parseInput(schema, doc, 'body');
  if (parsed.ok) return { ok: true, doc: parsed.value as T };
  return reject(`${VALIDATION_FAILED}: ${summarize(parsed.result.body.data as ErrorDetail[])}`);
}

const unchangedCreation = (doc: { created_time: string }, current: { created_time: string } | undefined) =>
  current && current.created_time !== doc.created_time
    ? `created_time cannot change (the server has ${current.created_time})`
    : undefined;


export const learnerRules: DocumentRules<StoredLearner> = {
  parse(doc) {
    const checked = parseWith<StoredLearner>(storedLearner, doc);
    if (checked.ok && checked.doc.backup_email_address === checked.doc.email_address) {
      return reject(messages.learner.sameBackupEmail);
    }
    return checked;
  },
  lockKey: (doc) => learnerLock(doc.uuid),
  async check(tx, doc, current) {
    const creation = unchangedCreation(doc, current);
    if (creation) return creation;
    // As over REST: the email must be free when a live learner takes it (created, renamed or undeleted).
    const takesEmail = !doc.is_deleted && (!current || current.is_deleted || current.email_address !== doc.email_address);
    if (takesEmail) {
      await tx.lock(emailLock(doc.email_address));
      const others = await tx.findLearnersByEmail(doc.email_address);
      if (others.some((other) => other.uuid !== doc.uuid)) return messages.learner.duplicateEmail(doc.email_address);
    }
    return undefined;
  },
  get: (tx, uuid) => tx.getLearner(uuid),
  put: (tx, doc) => tx.putLearner(doc),
  centerOf: async (_tx, doc) => doc.center_id,
};

export const profileRules: DocumentRules<StoredProfile> = {
  parse(doc) {
    const checked = parseWith<StoredProfile>(storedProfile, doc);
    if (checked.ok && checked.doc.uuid !== profileUuidFor(checked.doc.learner_id)) {
      return reject(`uuid must be ${profileUuidFor(checked.doc.learner_id)}, the profile id of learner ${checked.doc.learner_id}`);
    }
    return checked;
  },
  // The learner's key, as the REST service takes it for every profile write and for the archive cascade.
  lockKey: (doc) => learnerLock(doc.learner_id),
  async check(tx, doc, current) {
    const creation = unchangedCreation(doc, current);
    if (creation) return creation;
    const learner = await tx.getLearner(doc.learner_id);
    // A deleted learner's profile may still be stored deleted (the delete cascade), never live.
    if (!learner || (learner.is_deleted && !doc.is_deleted)) return messages.learner.notFound(doc.learner_id);
    // As over REST: no new (or revived) profile for an archived learner.
    const creates = !doc.is_deleted && (!current || current.is_deleted);
    if (creates && learner.is_archived) return messages.profile.archivedLearner(doc.learner_id);
    // Only ids the push adds: an achievement later removed from the catalog must not block other edits.
    const known = new Set(current?.achievements ?? []);
    for (const id of new Set(doc.achievements)) {
      if (known.has(id)) continue;
      const achievement = await tx.getAchievement(id);
      if (!achievement || achievement.is_deleted) return messages.achievement.notFound(id);
    }
    return undefined;
  },
  get: (tx, uuid) => tx.getProfile(uuid),
  put: (tx, doc) => tx.putProfile(doc),
  centerOf: (tx, doc) => learnerCenter(tx, doc.learner_id),
};

/** The server's own store for the conflict log (not part of the contract's repository). */
export interface ConflictStore {
  getConflict(uuid: string): Promise<StoredConflict | undefined>;
  putConflict(doc: StoredConflict): Promise<void>;
}

export const conflictRules: DocumentRules<StoredConflict> = {
  parse: (doc) => parseWith<StoredConflict>(storedConflict, doc),
  // The learner's key: an entry is written with the records it concerns.
  lockKey: (doc) => learnerLock(doc.learner_id),
  async check(tx, doc, current) {
    const creation = unchangedCreation(doc, current);
    if (creation) return creation;
    // An entry about a learner this server never had names nothing anyone can resolve.
    if (!(await tx.getLearner(doc.learner_id))) return messages.learner.notFound(doc.learner_id);
    return undefined;
  },
  get: (tx, uuid) => (tx as unknown as ConflictStore).getConflict(uuid),
  put: (tx, doc) => (tx as unknown as ConflictStore).putConflict(doc),
  centerOf: (tx, doc) => learnerCenter(tx, doc.learner_id),
};
