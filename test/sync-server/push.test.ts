// `POST /sync/v1/{collection}/push`: compare-and-set per document, idempotent retries, and the server's rules.
import { describe, expect, it } from 'vitest';
import { profileUuidFor, randomId } from '../../shared/ids';
import type { SyncCheckpoint } from '../../shared/sync-protocol';
import { createToken, revokeToken } from '../../server/tokens';
import { backends } from '../support/backends';
import { uniqueEmail } from '../contract/cases';
import {
  asRxDocument,
  edited,
  insertRow,
  learnerDoc,
  profileDoc,
  stored,
  syncClient,
  updateRow,
  type Envelope,
  type ErrorDetail,
  useSyncHost,
} from './support';

for (const backend of backends) {
  describe(`sync push on ${backend.name}`, () => {
    const context = useSyncHost(backend);

    const latest = async (collection: string) => (await context.sync.pullAll(collection)).checkpoint;
    /** The server's state of one document, and how many changes the collection had after `since`. */
    const changesSince = async (collection: string, since: SyncCheckpoint) => (await context.sync.pullAll(collection, since)).documents;
    const accepted = { status: 200, body: { conflicts: [], rejected: [] } };

    it('inserts a new document and strips RxDB keys before storing it', async () => {
      const start = await latest('learners');
      const doc = learnerDoc();
      expect(await context.sync.push('learners', [insertRow(doc)])).toEqual(accepted);
      expect(await changesSince('learners', start)).toEqual([{ ...doc, _deleted: false }]);
      const viaRest = await context.host.call('learner.get', doc.uuid);
      expect(viaRest.status).toBe(200);
      expect(viaRest.body.data).toMatchObject({ first_name: 'Ada', email_address: doc.email_address });
    });

    it('accepts assumedMasterState null as well as absent for a new document', async () => {
      const doc = learnerDoc();
      expect(await context.sync.push('learners', [{ assumedMasterState: null, newDocumentState: doc }])).toEqual(accepted);
    });

    it('updates when the assumed state is the server state, keeping the client last_modified_time', async () => {
      const doc = learnerDoc();
      await context.sync.push('learners', [insertRow(doc)]);
      const start = await latest('learners');
      const next = edited(doc, { first_name: 'Augusta', city: 'London' });
      expect(await context.sync.push('learners', [updateRow(doc, next)])).toEqual(accepted);
      const changes = await changesSince('learners', start);
      expect(changes.map(stored)).toEqual([next]);
      expect(changes[0]!.last_modified_time).toBe(next.last_modified_time);
    });

    it('answers a conflict with the current server state when the assumed state is stale', async () => {
      const doc = learnerDoc();
      await context.sync.push('learners', [insertRow(doc)]);
      const serverSide = edited(doc, { first_name: 'Server' });
      await context.sync.push('learners', [updateRow(doc, serverSide)]);
      const start = await latest('learners');

      const clientSide = edited(doc, { last_name: 'Client' });
      const answer = await context.sync.push('learners', [updateRow(doc, clientSide)]);
      expect(answer).toEqual({ status: 200, body: { conflicts: [{ ...serverSide, _deleted: false }], rejected: [] } });
      // Creating what the server already has under another state is a conflict too.
      const create = await context.sync.push('learners', [insertRow(clientSide)]);
      expect(create.body.conflicts).toEqual([{ ...serverSide, _deleted: false }]);
      expect(await changesSince('learners', start)).toEqual([]);

      // After merging, the client pushes against the state it was given, and wins.
      const merged = edited(serverSide, { last_name: 'Client' });
      expect(await context.sync.push('learners', [updateRow(serverSide, merged)])).toEqual(accepted);
    });

    it('treats a retried push as done: no conflict, no second change', async () => {
      const doc = learnerDoc();
      const create = [insertRow(doc)];
      expect(await context.sync.push('learners', create)).toEqual(accepted);
      const afterCreate = await latest('learners');
      expect(await context.sync.push('learners', create)).toEqual(accepted);

      const next = edited(doc, { first_name: 'Retried' });
      const update = [updateRow(doc, next)];
      expect(await context.sync.push('learners', update)).toEqual(accepted);
      const afterUpdate = await latest('learners');
      expect((await changesSince('learners', afterCreate)).map(stored)).toEqual([next]);
      // The answer was lost; the client sends the very same rows again, with different RxDB metadata even.
      expect(await context.sync.push('learners', update)).toEqual(accepted);
      expect(await context.sync.push('learners', [{ assumedMasterState: doc, newDocumentState: { ...next, _rev: '2-x' } }])).toEqual(accepted);
      expect(await latest('learners')).toEqual(afterUpdate);
    });

    it('stores a profile for a learner the server has, under its derived uuid', async () => {
      const learner = learnerDoc();
      await context.sync.push('learners', [insertRow(learner)]);
      const profile = profileDoc(learner.uuid, { learning_goals: ['Teamwork'], personal_goals: 'Graduate' });
      expect(await context.sync.push('learner_profiles', [insertRow(profile)])).toEqual(accepted);
      const viaRest = await context.host.call('learnerProfile.getByLearner', learner.uuid);
      expect(viaRest.body.data).toMatchObject({ uuid: profile.uuid, learning_goals: ['Teamwork'] });
      const next = edited(profile, { is_deleted: true });
      expect(await context.sync.push('learner_profiles', [updateRow(profile, next)])).toEqual(accepted);
      expect((await context.host.call('learnerProfile.getByLearner', learner.uuid)).status).toBe(404);
    });

    describe('rejects, with a reason and without storing', () => {
      const rejectedOne = async (collection: string, row: unknown, id: string) => {
        const start = await latest(collection);
        const answer = await context.sync.push(collection, [row]);
        expect(answer.status).toBe(200);
        expect(answer.body.conflicts).toEqual([]);
        expect(answer.body.rejected).toHaveLength(1);
        expect(answer.body.rejected[0]!.id).toBe(id);
        expect(await changesSince(collection, start)).toEqual([]);
        return answer.body.rejected[0]!.reason;
      };

      it('a document that does not parse with the stored schema', async () => {
        const { first_name: _, ...noName } = learnerDoc();
        expect(await rejectedOne('learners', insertRow(noName), noName.uuid)).toBe('Validation Failed: first_name: field required');
        const upper = learnerDoc({ email_address: 'Upper.Case@Example.com' });
        expect(await rejectedOne('learners', insertRow(upper), upper.uuid)).toMatch(/^Validation Failed: email_address: /);
        const extra = { ...learnerDoc(), nickname: 'Al' };
        expect(await rejectedOne('learners', insertRow(extra), extra.uuid)).toBe('Validation Failed: nickname: extra fields not permitted');
        const badTime = learnerDoc({ last_modified_time: '2026-11-26T10:00:00Z' });
        expect(await rejectedOne('learners', insertRow(badTime), badTime.uuid)).toMatch(/last_modified_time/);
        const badId = learnerDoc({ uuid: 'short' });
        expect(await rejectedOne('learners', insertRow(badId), 'short')).toMatch(/^Validation Failed: uuid: /);
        const learner = learnerDoc();
        await context.sync.push('learners', [insertRow(learner)]);
        const tooManyFields = profileDoc(learner.uuid, { potential_career_fields: ['a', 'b', 'c', 'd'] });
        expect(await rejectedOne('learner_profiles', insertRow(tooManyFields), tooManyFields.uuid)).toMatch(/potential_career_fields/);
        const study = profileDoc(learner.uuid, { learning_constraints: { weekly_study_time: 31 } });
        expect(await rejectedOne('learner_profiles', insertRow(study), study.uuid)).toMatch(/learning_constraints\.weekly_study_time/);
      });

      it('text no database can store, as a row rather than the whole push', async () => {
        const good = learnerDoc();
        const bad = learnerDoc({ city: 'Lon\u0000don' });
        const answer = await context.sync.push('learners', [insertRow(bad), insertRow(good)]);
        expect(answer.status).toBe(200);
        expect(answer.body.rejected).toEqual([{ id: bad.uuid, reason: expect.stringMatching(/^Validation Failed: city: .*NUL/) }]);
        expect((await context.host.call('learner.get', good.uuid)).status).toBe(200);
      });

      it('_deleted: true, since deletion is the is_deleted field', async () => {
        const doc = learnerDoc();
        await context.sync.push('learners', [insertRow(doc)]);
        const reason = await rejectedOne('learners', { assumedMasterState: doc, newDocumentState: { ...doc, _deleted: true } }, doc.uuid);
        expect(reason).toMatch(/is_deleted/);
      });

      it('a profile whose learner the server does not have, or has deleted', async () => {
        const orphan = profileDoc(randomId());
        expect(await rejectedOne('learner_profiles', insertRow(orphan), orphan.uuid)).toBe(
          `Learner with uuid ${orphan.learner_id} not found`,
        );
        const learner = learnerDoc();
        await context.sync.push('learners', [insertRow(learner), updateRow(learner, edited(learner, { is_deleted: true }))]);
        const live = profileDoc(learner.uuid);
        expect(await rejectedOne('learner_profiles', insertRow(live), live.uuid)).toBe(`Learner with uuid ${learner.uuid} not found`);
        // A deleted learner's profile may still arrive deleted (the cascade, made offline).
        expect(await context.sync.push('learner_profiles', [insertRow({ ...live, is_deleted: true })])).toEqual(accepted);
      });

      it('a profile whose uuid is not the one derived from its learner', async () => {
        const learner = learnerDoc();
        await context.sync.push('learners', [insertRow(learner)]);
        const wrong = profileDoc(learner.uuid, { uuid: randomId() });
        expect(await rejectedOne('learner_profiles', insertRow(wrong), wrong.uuid)).toBe(
          `uuid must be ${profileUuidFor(learner.uuid)}, the profile id of learner ${learner.uuid}`,
        );
      });

      it('a profile that adds an achievement the catalog does not have', async () => {
        const learner = learnerDoc();
        await context.sync.push('learners', [insertRow(learner)]);
        const missing = profileDoc(learner.uuid, { achievements: ['NoSuchAchievement00'] });
        expect(await rejectedOne('learner_profiles', insertRow(missing), missing.uuid)).toBe(
          'Achievement with uuid NoSuchAchievement00 not found',
        );
        const id = await context.host.addAchievement({ type: 'level', name: 'Level 1' });
        expect(await context.sync.push('learner_profiles', [insertRow({ ...missing, achievements: [id] })])).toEqual(accepted);
      });

      it('a learner whose email another live learner has, in the contract words', async () => {
        const email = uniqueEmail();
        const first = await context.host.call('learner.create', { first_name: 'A', last_name: 'B', email_address: email });
        expect(first.status).toBe(200);
        const second = learnerDoc({ email_address: email });
        expect(await rejectedOne('learners', insertRow(second), second.uuid)).toBe(
          `Learner with the given email address ${email} already exists`,
        );
        // Renaming an existing learner to the taken email is refused the same way...
        const other = learnerDoc();
        await context.sync.push('learners', [insertRow(other)]);
        const renamed = edited(other, { email_address: email });
        expect(await rejectedOne('learners', updateRow(other, renamed), other.uuid)).toMatch(/already exists/);
        // ...while edits that keep a learner's own email are not, and a deleted learner's email is free again.
        const own = edited(other, { first_name: 'Kept' });
        expect(await context.sync.push('learners', [updateRow(other, own)])).toEqual(accepted);
        await context.host.call('learner.delete', (first.body.data as { uuid: string }).uuid);
        expect(await context.sync.push('learners', [insertRow(second)])).toEqual(accepted);
      });

      it('a learner whose backup email is its email', async () => {
        const email = uniqueEmail();
        const doc = learnerDoc({ email_address: email, backup_email_address: email });
        expect(await rejectedOne('learners', insertRow(doc), doc.uuid)).toBe(
          'Primary email address and backup email address cannot be the same.',
        );
      });

      it('a change of created_time', async () => {
        const doc = learnerDoc();
        await context.sync.push('learners', [insertRow(doc)]);
        const moved = edited(doc, { created_time: '2020-01-01 00:00:00.000000+00:00' });
        expect(await rejectedOne('learners', updateRow(doc, moved), doc.uuid)).toBe(
          `created_time cannot change (the server has ${doc.created_time})`,
        );
      });
    });

    it('judges each row of a push on its own', async () => {
      const fresh = learnerDoc();
      const stale = learnerDoc();
      await context.sync.push('learners', [insertRow(stale)]);
      const current = edited(stale, { first_name: 'Current' });
      await context.sync.push('learners', [updateRow(stale, current)]);
      const invalid = learnerDoc({ gender: 'Unknown' as never });
      const answer = await context.sync.push('learners', [
        insertRow(invalid),
        updateRow(stale, edited(stale, { first_name: 'Late' })),
        insertRow(fresh),
      ]);
      expect(answer.body.conflicts).toEqual([{ ...current, _deleted: false }]);
      expect(answer.body.rejected.map((r) => r.id)).toEqual([invalid.uuid]);
      expect((await context.host.call('learner.get', fresh.uuid)).status).toBe(200);
    });

    it('applies rows for one document in order, as successive pushes', async () => {
      const doc = learnerDoc();
      const v2 = edited(doc, { first_name: 'Two' });
      const v3 = edited(v2, { first_name: 'Three' });
      expect(await context.sync.push('learners', [insertRow(doc), updateRow(doc, v2), updateRow(v2, v3)])).toEqual(accepted);
      expect((await context.host.call('learner.get', doc.uuid)).body.data).toMatchObject({ first_name: 'Three' });
    });

    it('refuses pushes to achievements (server-authored) and to unknown collections with 404', async () => {
      const notFound = { status: 404, body: { success: false, message: 'Not Found', data: null } };
      const row = insertRow({ uuid: randomId(), type: 'level', name: 'L', is_deleted: false });
      expect(await context.sync.push('achievements', [row])).toEqual(notFound);
      expect(await context.sync.push('students', [row])).toEqual(notFound);
    });

    it('answers 401 without a token and with a revoked one', async () => {
      const doc = learnerDoc();
      const unauthorized = { status: 401, body: { success: false, message: 'Unauthorized', data: null } };
      expect(await syncClient(context.host.baseUrl, undefined).push('learners', [insertRow(doc)])).toEqual(unauthorized);
      const name = `revoked-${randomId()}`;
      const token = await createToken(context.host.db, name);
      await context.host.app.tokens.refresh();
      const device = syncClient(context.host.baseUrl, token);
      expect(await device.push('learners', [insertRow(doc)])).toEqual(accepted);
      await revokeToken(context.host.db, name);
      await expect.poll(async () => (await device.push('learners', [insertRow(doc)])).status).toBe(401);
      expect(await device.pull('learners')).toEqual(unauthorized);
    });

    it('answers 422 for bodies that are not a list of push rows', async () => {
      const cases: [string, (string | number)[]][] = [
        ['{bad', ['body']],
        ['{}', ['body']],
        ['"rows"', ['body']],
        ['[1]', ['body', 0]],
        ['[{}]', ['body', 0, 'newDocumentState']],
        ['[{"newDocumentState":{"first_name":"A"}}]', ['body', 0, 'newDocumentState', 'uuid']],
        ['[{"newDocumentState":{"uuid":7}}]', ['body', 0, 'newDocumentState', 'uuid']],
        ['[{"newDocumentState":[]}]', ['body', 0, 'newDocumentState']],
        ['[{"assumedMasterState":"x","newDocumentState":{"uuid":"a"}}]', ['body', 0, 'assumedMasterState']],
        [JSON.stringify(Array.from({ length: 501 }, () => ({ newDocumentState: { uuid: 'a' } }))), ['body']],
      ];
      for (const [body, loc] of cases) {
        const answer = await context.sync.pushRaw('learners', body);
        expect(answer.status, body.slice(0, 80)).toBe(422);
        expect(answer.body).toMatchObject({ success: false, message: 'Validation Failed' });
        expect((answer.body.data as ErrorDetail[]).map((d) => d.loc), body.slice(0, 80)).toContainEqual(loc);
      }
      const empty = await context.sync.request<Envelope>('POST', '/sync/v1/learners/push');
      expect(empty.status).toBe(422);
      const proto = await context.sync.pushRaw('learners', '[{"newDocumentState":{"uuid":"a","__proto__":{"x":1}}}]');
      expect(proto.status).toBe(422);
    });

    it('accepts an empty push and a push of exactly 500 rows', async () => {
      expect(await context.sync.push('learners', [])).toEqual(accepted);
      const rows = Array.from({ length: 500 }, () => insertRow(learnerDoc()));
      const answer = await context.sync.push('learners', rows);
      expect(answer).toEqual(accepted);
    }, 60_000);

    it('takes a push body larger than a REST body, up to its own limit (then 413)', async () => {
      const pronoun = 'x'.repeat(8 * 1024);
      const rows = Array.from({ length: 200 }, () => insertRow(learnerDoc({ preferred_pronoun: pronoun })));
      expect(JSON.stringify(rows).length).toBeGreaterThan(1024 * 1024);
      expect(await context.sync.push('learners', rows)).toEqual(accepted);
      const huge = JSON.stringify([insertRow(learnerDoc({ preferred_pronoun: 'x'.repeat(17 * 1024 * 1024) }))]);
      expect(await context.sync.pushRaw('learners', huge)).toEqual({
        status: 413,
        body: { success: false, message: 'Request body too large', data: null },
      });
    }, 60_000);

    it('compares states after stripping every RxDB key, in any key order', async () => {
      const doc = learnerDoc({ city: 'Paris' });
      await context.sync.push('learners', [insertRow(doc)]);
      const reordered = Object.fromEntries(Object.entries(asRxDocument(doc)).reverse());
      const next = edited(doc, { city: 'Lyon' });
      expect(await context.sync.push('learners', [{ assumedMasterState: { ...reordered, _meta: { lwt: 5 } }, newDocumentState: next }])).toEqual(
        accepted,
      );
    });
  });
}
