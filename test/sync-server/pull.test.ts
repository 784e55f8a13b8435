// `GET /sync/v1/{collection}/pull`: paging by checkpoint over every write, whichever path made it.
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { uniqueEmail } from '../contract/cases';
import { edited, insertRow, isAfter, learnerDoc, positionOf, stored, syncClient, type Envelope, type ErrorDetail, useSyncHost } from './support';

for (const backend of backends) {
  describe(`sync pull on ${backend.name}`, () => {
    const context = useSyncHost(backend);

    const latest = async (collection: string) => (await context.sync.pullAll(collection)).checkpoint;

    it('answers an empty history with no documents and the checkpoint it was given', async () => {
      const history = { epoch: expect.stringMatching(/^[0-9a-f]{32}$/), generation: expect.any(Number) };
      expect(await context.sync.pull('achievements')).toEqual({ status: 200, body: { documents: [], checkpoint: { seq: 0, xid: 0, ...history } } });
      expect((await context.sync.pull('achievements', '')).body).toEqual({ documents: [], checkpoint: { seq: 0, xid: 0, ...history } });
      // A seq or a transaction this server never reached is another history: answered from the start.
      expect((await context.sync.pull('achievements', 42)).body).toEqual({ documents: [], checkpoint: { seq: 0, xid: 0, ...history }, restarted: true });
      expect((await context.sync.pull('achievements', { seq: 0, xid: 2 ** 40 })).body).toEqual({ documents: [], checkpoint: { seq: 0, xid: 0, ...history }, restarted: true });
    });

    it('pages through every document exactly once, oldest first, with strictly increasing checkpoints', async () => {
      const start = await latest('learners');
      const docs = Array.from({ length: 23 }, () => learnerDoc());
      const pushed = await context.sync.push('learners', docs.map(insertRow));
      expect(pushed.body).toEqual({ conflicts: [], rejected: [] });

      const seen: string[] = [];
      const checkpoints = [start];
      let checkpoint = start;
      for (;;) {
        const page = await context.sync.pull('learners', checkpoint, 5);
        expect(page.status).toBe(200);
        expect(page.body.documents.length).toBeLessThanOrEqual(5);
        if (page.body.documents.length === 0) {
          expect(page.body.checkpoint).toMatchObject(positionOf(checkpoint));
          break;
        }
        expect(isAfter(page.body.checkpoint, checkpoint)).toBe(true);
        checkpoint = page.body.checkpoint;
        checkpoints.push(checkpoint);
        seen.push(...page.body.documents.map((doc) => doc.uuid as string));
      }
      expect(seen).toEqual(docs.map((doc) => doc.uuid));
      expect(checkpoints).toHaveLength(1 + Math.ceil(23 / 5));
    });

    it('sends each document as stored, with _deleted false and its is_deleted field', async () => {
      const start = await latest('learners');
      const doc = learnerDoc({ middle_name: 'Byron' });
      await context.sync.push('learners', [insertRow(doc)]);
      const page = await context.sync.pull('learners', start);
      expect(page.body.documents).toEqual([{ ...doc, _deleted: false }]);
      expect(typeof page.body.checkpoint.seq).toBe('number');
    });

    it('shows a document changed again while a client pages later, once, in its newer state', async () => {
      const start = await latest('learners');
      const [a, b, c] = [learnerDoc(), learnerDoc(), learnerDoc()];
      await context.sync.push('learners', [insertRow(a), insertRow(b), insertRow(c)]);
      const first = await context.sync.pull('learners', start, 1);
      expect(first.body.documents.map((d) => d.uuid)).toEqual([a.uuid]);
      // b changes after the client has passed a but before it reaches b: b moves behind c.
      const bEdited = edited(b, { first_name: 'Changed' });
      expect((await context.sync.push('learners', [{ assumedMasterState: b, newDocumentState: bEdited }])).body.conflicts).toEqual([]);
      const rest = await context.sync.pullAll('learners', first.body.checkpoint);
      expect(rest.documents.map((d) => stored(d))).toEqual([c, bEdited]);
    });

    it('includes writes made through the REST API, deletions included', async () => {
      const start = await latest('learners');
      const created = await context.host.call('learner.create', { first_name: 'Rest', last_name: 'Write', email_address: uniqueEmail() });
      const learner = created.body.data as { uuid: string };
      await context.host.call('learnerProfile.create', learner.uuid, { personal_goals: 'Graduate' });
      await context.host.call('learner.update', learner.uuid, { first_name: 'Renamed' });
      await context.host.call('learner.delete', learner.uuid);

      const learners = await context.sync.pullAll('learners', start);
      expect(learners.documents).toEqual([
        expect.objectContaining({ uuid: learner.uuid, first_name: 'Renamed', is_deleted: true, _deleted: false }),
      ]);
      const profiles = await context.sync.pullAll('learner_profiles');
      expect(profiles.documents).toContainEqual(
        expect.objectContaining({ learner_id: learner.uuid, personal_goals: 'Graduate', is_deleted: true, _deleted: false }),
      );
      const achievement = await context.host.addAchievement({ type: 'competency', name: 'Algebra' });
      const achievements = await context.sync.pullAll('achievements');
      expect(achievements.documents).toContainEqual(expect.objectContaining({ uuid: achievement, name: 'Algebra', is_deleted: false }));
    });

    it('answers 100 documents when no limit is given, and at most 1000', async () => {
      const start = await latest('learners');
      await context.sync.push('learners', Array.from({ length: 105 }, () => insertRow(learnerDoc())));
      expect((await context.sync.pull('learners', start)).body.documents).toHaveLength(100);
      expect((await context.sync.pull('learners', start, 1000)).body.documents).toHaveLength(105);
      expect((await context.sync.pull('learners', start, 1)).body.documents).toHaveLength(1);
    });

    it('refuses a bad checkpoint or limit with 422 at the parameter', async () => {
      const cases: [Record<string, string>, string][] = [
        [{ limit: '0' }, 'limit'],
        [{ limit: '1001' }, 'limit'],
        [{ limit: 'ten' }, 'limit'],
        [{ limit: '2.5' }, 'limit'],
        [{ checkpoint: '-1' }, 'checkpoint'],
        [{ checkpoint: 'abc' }, 'checkpoint'],
        [{ checkpoint: '1e3' }, 'checkpoint'],
        [{ checkpoint: '99999999999999999999' }, 'checkpoint'],
        [{ checkpoint: '{"seq":1}' }, 'checkpoint'],
        [{ xid: '-1' }, 'xid'],
        [{ xid: '0x10' }, 'xid'],
      ];
      for (const [params, name] of cases) {
        const answer = await context.sync.request<Envelope>('GET', `/sync/v1/learners/pull?${new URLSearchParams(params)}`);
        expect(answer.status, JSON.stringify(params)).toBe(422);
        expect(answer.body).toMatchObject({ success: false, message: 'Validation Failed' });
        expect((answer.body.data as ErrorDetail[]).map((d) => d.loc)).toEqual([['query', name]]);
      }
      const repeated = await context.sync.request<Envelope>('GET', '/sync/v1/learners/pull?limit=1&limit=2');
      expect(repeated.status).toBe(422);
    });

    it('answers 404 for an unknown collection and 401 without a valid token', async () => {
      for (const name of ['students', 'api_tokens', 'scope_exits', 'learners_seq', 'Learners', 'learners%00', 'x'.repeat(300)]) {
        const answer = await context.sync.request<Envelope>('GET', `/sync/v1/${name}/pull`);
        expect(answer, name).toEqual({ status: 404, body: { success: false, message: 'Not Found', data: null } });
      }
      const anonymous = syncClient(context.host.baseUrl, undefined);
      expect(await anonymous.pull('learners')).toEqual({ status: 401, body: { success: false, message: 'Unauthorized', data: null } });
      const wrong = syncClient(context.host.baseUrl, 'lpt_not-a-token');
      expect((await wrong.pull('learners')).status).toBe(401);
    });
  });
}
