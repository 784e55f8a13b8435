// Rules that span a read and a write hold under concurrent requests, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/result';
import { backends } from '../support/backends';
import { httpHost } from '../support/hosts';
import { seedProfileBody, uniqueEmail } from '../contract/cases';

const uuidOf = (result: Result) => (result.body.data as { uuid: string }).uuid;

for (const backend of backends) {
  describe(`concurrency on ${backend.name}`, () => {
    let host: Awaited<ReturnType<typeof httpHost>>;
    beforeAll(async () => {
      host = await httpHost(await backend.open());
    });
    afterAll(() => host?.close());

    const newLearner = async () =>
      uuidOf(await host.call('learner.create', { first_name: 'C', last_name: 'D', email_address: uniqueEmail() }));

    it('lets exactly one of many parallel profile creates for one learner succeed', async () => {
      for (let round = 0; round < 3; round++) {
        const learnerId = await newLearner();
        const results = await Promise.all(
          Array.from({ length: 12 }, () => host.call('learnerProfile.create', learnerId, seedProfileBody)),
        );
        const statuses = results.map((r) => r.status).sort();
        expect(statuses).toEqual([200, ...Array(11).fill(409)]);
      }
    });

    it('lets exactly one of many parallel learner creates with one email succeed', async () => {
      const email = uniqueEmail();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          host.call('learner.create', { first_name: `P${i}`, last_name: 'Q', email_address: i % 2 ? email : email.toUpperCase() }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(11).fill(409)]);
      const found = await host.call('learner.search', { email_address: email });
      expect(found.body.data).toHaveLength(1);
    });

    it('lands every one of many parallel updates to different fields', async () => {
      const learnerId = await newLearner();
      const profile = (await host.call('learnerProfile.create', learnerId, {})).body.data as { uuid: string };
      const changes: Record<string, unknown>[] = [
        { tagged_skills: ['listening'] },
        { tagged_competencies: ['algebra'] },
        { mastered_skills: ['reading'] },
        { mastered_competencies: ['writing'] },
        { learning_goals: ['Teamwork'] },
        { personal_goals: 'Graduate' },
        { employment_status: 'Part-time' },
        { potential_career_fields: ['Healthcare'] },
        { contact_preferences: { email: true, phone: true } },
        { learning_constraints: { weekly_study_time: 9 } },
      ];
      const results = await Promise.all(
        changes.map((change, i) =>
          i % 2
            ? host.call('learnerProfile.update', learnerId, profile.uuid, change)
            : host.call('learnerProfile.updateByLearner', learnerId, change),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(changes.map(() => 200));
      const times = results.map((r) => (r.body.data as { last_modified_time: string }).last_modified_time);
      expect(new Set(times).size).toBe(times.length);
      const final = (await host.call('learnerProfile.getByLearner', learnerId)).body.data;
      for (const change of changes) expect(final).toMatchObject(change);
    });

    it('keeps learner and profile consistent when archiving races with profile edits and a delete', async () => {
      const learnerId = await newLearner();
      await host.call('learnerProfile.create', learnerId, {});
      await Promise.all([
        host.call('learner.update', learnerId, { is_archived: true }),
        host.call('learnerProfile.updateByLearner', learnerId, { personal_goals: 'x' }),
        host.call('learnerProfile.updateByLearner', learnerId, { personal_goals: 'y' }),
      ]);
      const profile = (await host.call('learnerProfile.getByLearner', learnerId)).body.data as Record<string, unknown>;
      expect(profile.is_archived).toBe(true);
      expect(['x', 'y']).toContain(profile.personal_goals);

      const results = await Promise.all([
        host.call('learner.delete', learnerId),
        host.call('learnerProfile.updateByLearner', learnerId, { personal_goals: 'z' }),
      ]);
      expect(results[0]!.status).toBe(200);
      expect([200, 404]).toContain(results[1]!.status);
      expect((await host.call('learnerProfile.getByLearner', learnerId)).status).toBe(404);
    });
  });
}
