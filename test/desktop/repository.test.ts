// The local repository's own guarantees: serialized rules, patches that keep concurrent sync writes, and
// multi-document writes finished after a crash.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { profileUuidFor } from '../../shared/ids';
import type { StoredLearner } from '../../shared/schemas/learner';
import { createRxRepository, type LocalRepository } from '../../electron/db/repository';
import { localHost } from '../support/local-host';
import { uniqueEmail } from '../contract/cases';
import type { ContractHost } from '../support/hosts';

describe('local repository', () => {
  let host: ContractHost & { db: Awaited<ReturnType<typeof localHost>>['db'] };
  let repo: LocalRepository;
  beforeEach(async () => {
    host = await localHost();
    repo = createRxRepository(host.db);
  });
  afterEach(() => host.close());

  const newLearner = async () =>
    ((await host.call('learner.create', { first_name: 'L', last_name: 'R', email_address: uniqueEmail() })).body.data as StoredLearner).uuid;

  it('lets exactly one of many parallel profile creates succeed', async () => {
    const learnerId = await newLearner();
    const results = await Promise.all(Array.from({ length: 10 }, () => host.call('learnerProfile.create', learnerId, {})));
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
  });

  it('lands every one of many parallel updates', async () => {
    const learnerId = await newLearner();
    await host.call('learnerProfile.create', learnerId, {});
    const fields = ['tagged_skills', 'tagged_competencies', 'mastered_skills', 'mastered_competencies', 'learning_goals'];
    const results = await Promise.all(fields.map((field) => host.call('learnerProfile.updateByLearner', learnerId, { [field]: [field] })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const final = (await host.call('learnerProfile.getByLearner', learnerId)).body.data as Record<string, unknown>;
    for (const field of fields) expect(final[field]).toEqual([field]);
  });

  it('keeps a field that sync wrote while a transaction was running', async () => {
    const learnerId = await newLearner();
    const result = await repo.transaction(async (tx) => {
      const learner = (await tx.getLearner(learnerId))!;
      // A pulled change lands between this transaction's read and its write.
      await host.db.learners.findOne(learnerId).exec().then((doc) => doc!.incrementalPatch({ city: 'Lyon' }));
      await tx.putLearner({ ...learner, first_name: 'Changed', last_modified_time: '2999-01-01 00:00:00.000000+00:00' });
      return 'done';
    });
    expect(result).toBe('done');
    const stored = (await host.db.learners.findOne(learnerId).exec())!.toJSON();
    expect(stored).toMatchObject({ first_name: 'Changed', city: 'Lyon' });
  });

  it('finishes the writes of a cascade that a crash interrupted', async () => {
    const learnerId = await newLearner();
    await host.call('learnerProfile.create', learnerId, {});
    // As left by a process killed after recording the delete cascade and writing only its first document.
    await host.db.upsertLocal('pending-writes', {
      writes: [
        { collection: 'learners', uuid: learnerId, patch: { is_deleted: true } },
        { collection: 'learner_profiles', uuid: profileUuidFor(learnerId), patch: { is_deleted: true } },
      ],
    });
    await host.db.learners.findOne(learnerId).exec().then((doc) => doc!.incrementalPatch({ is_deleted: true }));
    expect(await repo.recover()).toBe(true);
    expect((await host.db.learner_profiles.findOne(profileUuidFor(learnerId)).exec())!.is_deleted).toBe(true);
    expect(await host.db.getLocal('pending-writes')).toBeNull();
    expect(await repo.recover()).toBe(false);
  });

  it('finds learners by email and first name from memory, seeing writes made outside the repository at once', async () => {
    const email = uniqueEmail();
    const learnerId = ((await host.call('learner.create', { first_name: 'Ines', last_name: 'R', email_address: email })).body.data as StoredLearner).uuid;
    expect((await repo.findLearnersByEmail(email)).map((l) => l.uuid)).toEqual([learnerId]);
    expect((await repo.findLearnersByFirstName('Ines')).map((l) => l.uuid)).toContain(learnerId);
    // A pull changes the email: the old one is free at once, the new one taken.
    const moved = uniqueEmail();
    await host.db.learners.findOne(learnerId).exec().then((doc) => doc!.incrementalPatch({ email_address: moved, first_name: 'Inès' }));
    expect(await repo.findLearnersByEmail(email)).toEqual([]);
    expect((await repo.findLearnersByEmails([email, moved])).map((l) => l.uuid)).toEqual([learnerId]);
    expect((await repo.findLearnersByFirstName('Ines')).map((l) => l.uuid)).not.toContain(learnerId);
    expect((await host.call('learner.create', { first_name: 'Other', last_name: 'R', email_address: moved })).status).toBe(409);
    // A deleted learner's email is free again.
    await host.db.learners.findOne(learnerId).exec().then((doc) => doc!.incrementalPatch({ is_deleted: true }));
    expect(await repo.findLearnersByEmail(moved)).toEqual([]);
    const results = await Promise.all(Array.from({ length: 5 }, () => host.call('learner.create', { first_name: 'Race', last_name: 'R', email_address: moved })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
  });

  it('lists learners in the API’s order from memory: code units, then the uuid, with totals and paging', async () => {
    for (const first_name of ['bob', 'Alice', 'alice', 'Émile', 'Zoe']) await host.call('learner.create', { first_name, last_name: 'L', email_address: uniqueEmail() });
    const page = await repo.listLearners({ skip: 1, limit: 3, sort_by: 'first_name', sort_order: 'ascending', fetch_archive: undefined });
    expect(page.total).toBe(5);
    expect(page.records.map((l) => l.first_name)).toEqual(['Zoe', 'alice', 'bob']);
  });

  it('writes a whole transaction or, when it throws, nothing', async () => {
    const learnerId = await newLearner();
    await expect(
      repo.transaction(async (tx) => {
        const learner = (await tx.getLearner(learnerId))!;
        await tx.putLearner({ ...learner, first_name: 'Never' });
        throw new Error('rule failed');
      }),
    ).rejects.toThrow('rule failed');
    expect((await host.db.learners.findOne(learnerId).exec())!.first_name).toBe('L');
    // The queue goes on after a failure.
    expect((await host.call('learner.get', learnerId)).status).toBe(200);
  });
});
