// Concurrent pushes, and pushes racing REST writes: compare-and-set holds, nothing is lost, rules hold.
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { uniqueEmail } from '../contract/cases';
import { edited, insertRow, learnerDoc, profileDoc, stored, syncClient, updateRow, useSyncHost } from './support';

const CLIENTS = 12;

for (const backend of backends) {
  describe(`sync push concurrency on ${backend.name}`, () => {
    const context = useSyncHost(backend);

    const latest = async (collection: string) => (await context.sync.pullAll(collection)).checkpoint;

    it('lets exactly one of many conflicting updates of one document win; the others get the winner back', async () => {
      for (let round = 0; round < 3; round++) {
        const base = learnerDoc();
        await context.sync.push('learners', [insertRow(base)]);
        const start = await latest('learners');
        const versions = Array.from({ length: CLIENTS }, (_, i) => edited(base, { first_name: `Client${i}` }));
        const answers = await Promise.all(versions.map((v) => syncClient(context.host.baseUrl, context.host.token).push('learners', [updateRow(base, v)])));

        const winners = answers.flatMap((answer, i) => (answer.body.conflicts.length === 0 ? [i] : []));
        expect(winners).toHaveLength(1);
        const winner = versions[winners[0]!]!;
        for (const answer of answers) {
          expect(answer.body.rejected).toEqual([]);
          if (answer.body.conflicts.length > 0) expect(answer.body.conflicts).toEqual([{ ...winner, _deleted: false }]);
        }
        const changes = await context.sync.pullAll('learners', start);
        expect(changes.documents.map((d) => stored(d))).toEqual([winner]);
      }
    });

    it('lets exactly one of many creates of one new document win', async () => {
      const learner = learnerDoc();
      await context.sync.push('learners', [insertRow(learner)]);
      // Offline creates of a learner's profile on many devices: one uuid, different contents.
      const versions = Array.from({ length: CLIENTS }, (_, i) => profileDoc(learner.uuid, { personal_goals: `Device ${i}` }));
      const answers = await Promise.all(versions.map((v) => context.sync.push('learner_profiles', [insertRow(v)])));
      const winners = answers.filter((answer) => answer.body.conflicts.length === 0);
      expect(winners).toHaveLength(1);
      const current = (await context.host.call('learnerProfile.getByLearner', learner.uuid)).body.data as { personal_goals: string };
      for (const answer of answers) {
        if (answer.body.conflicts.length > 0) expect(answer.body.conflicts[0]).toMatchObject({ personal_goals: current.personal_goals });
      }
    });

    it('treats the same push sent many times at once as one change', async () => {
      const doc = learnerDoc();
      await context.sync.push('learners', [insertRow(doc)]);
      const start = await latest('learners');
      const next = edited(doc, { first_name: 'Once' });
      const answers = await Promise.all(Array.from({ length: CLIENTS }, () => context.sync.push('learners', [updateRow(doc, next)])));
      for (const answer of answers) expect(answer.body).toEqual({ conflicts: [], rejected: [] });
      expect((await context.sync.pullAll('learners', start)).documents.map((d) => stored(d))).toEqual([next]);
    });

    it('never gives one email to two live learners, whether created by push or by REST', async () => {
      for (let round = 0; round < 3; round++) {
        const email = uniqueEmail();
        const pushes = Array.from({ length: CLIENTS / 2 }, () => context.sync.push('learners', [insertRow(learnerDoc({ email_address: email }))]));
        const creates = Array.from({ length: CLIENTS / 2 }, () =>
          context.host.call('learner.create', { first_name: 'R', last_name: 'E', email_address: email }),
        );
        const [pushed, created] = await Promise.all([Promise.all(pushes), Promise.all(creates)]);
        const stored = pushed.filter((p) => p.body.rejected.length === 0).length + created.filter((c) => c.status === 200).length;
        expect(stored).toBe(1);
        expect((await context.host.call('learner.search', { email_address: email })).body.data).toHaveLength(1);
      }
    });

    it('loses neither a REST edit nor a push that races it on one profile', async () => {
      for (let round = 0; round < 3; round++) {
        const learner = learnerDoc();
        await context.sync.push('learners', [insertRow(learner)]);
        const base = profileDoc(learner.uuid);
        await context.sync.push('learner_profiles', [insertRow(base)]);
        const pushed = edited(base, { personal_goals: 'From sync' });
        const [answer, rest] = await Promise.all([
          context.sync.push('learner_profiles', [updateRow(base, pushed)]),
          context.host.call('learnerProfile.updateByLearner', learner.uuid, { tagged_skills: ['From REST'] }),
        ]);
        expect(rest.status).toBe(200);
        const final = (await context.host.call('learnerProfile.getByLearner', learner.uuid)).body.data as Record<string, unknown>;
        expect(final.tagged_skills).toEqual(['From REST']);
        if (answer.body.conflicts.length === 0) {
          // The push went first; the REST edit merged onto it.
          expect(final.personal_goals).toBe('From sync');
        } else {
          // The REST edit went first; the client gets it back to merge, and nothing was overwritten.
          expect(answer.body.conflicts).toEqual([expect.objectContaining({ tagged_skills: ['From REST'], personal_goals: '' })]);
          expect(final.personal_goals).toBe('');
        }
      }
    });
  });
}
