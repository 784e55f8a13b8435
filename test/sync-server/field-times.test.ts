// The server's side of field edit times and of verification: API edits dated under the editing token's name, pushes
// that would take back a newer edit answered as conflicts, times far ahead refused with a reason about the clock, no
// new profile for an archived learner, the replicated conflict log, and the digests devices compare with.
import { describe, expect, it } from 'vitest';
import { idFromText } from '../../shared/ids';
import { hlcMillis } from '../../shared/hlc';
import type { StoredConflict } from '../../shared/schemas/conflict';
import { BucketDigest, bucketOf } from '../../shared/sync-digest';
import { backends } from '../support/backends';
import { uniqueEmail } from '../contract/cases';
import { edited, insertRow, learnerDoc, profileDoc, stored, testDevice, updateRow, useSyncHost } from './support';
import { stampEdit } from '../../shared/edits';
import { unstamped } from '../../shared/schemas/sync';
import { now } from '../../shared/time';

for (const backend of backends) {
  describe(`field edit times on the server, ${backend.name}`, () => {
    const context = useSyncHost(backend);
    const serverDoc = async (uuid: string) => (await context.sync.pullAll('learners')).documents.find((doc) => doc.uuid === uuid) as Record<string, never> & { sync: { times: Record<string, string>; by: Record<string, string> } };

    it('dates an API edit under the token’s name, and only the fields it changed', async () => {
      const created = await context.host.call('learner.create', { first_name: 'Api', last_name: 'Edit', email_address: uniqueEmail(), city: 'Lyon' });
      const uuid = (created.body.data as { uuid: string }).uuid;
      const first = await serverDoc(uuid);
      expect(Object.keys(first.sync.times)).toEqual(expect.arrayContaining(['first_name', 'city', 'is_deleted']));
      expect(JSON.stringify(created.body)).not.toContain('"sync"');
      await context.host.call('learner.update', uuid, { city: 'Nice' });
      const second = await serverDoc(uuid);
      expect(String(second.sync.times.city) > String(first.sync.times.city)).toBe(true);
      expect(second.sync.times.first_name).toBe(first.sync.times.first_name);
      const tokenNode = String(second.sync.times.city).slice(30);
      expect(second.sync.by[tokenNode]).toBe(tokenNode);
      expect(context.host.token).not.toContain(tokenNode);
    });

    it('answers a push that would take back a newer edit as a conflict, even when it names the stored state', async () => {
      const doc = learnerDoc({ city: 'Lyon' });
      await context.sync.push('learners', [insertRow(doc)]);
      const newer = edited(doc, { city: 'Paris' });
      expect((await context.sync.push('learners', [updateRow(doc, newer)])).body).toEqual({ conflicts: [], rejected: [] });
      // The older state again, sent as if it were an edit of the newer one (a late, replayed push).
      const replayed = { ...doc, last_modified_time: now() };
      const answer = await context.sync.push('learners', [updateRow(newer, replayed)]);
      expect(answer.body.conflicts.map((c) => stored(c as never))).toEqual([newer]);
      expect((await serverDoc(doc.uuid)).city).toBe('Paris');
    });

    it('refuses times more than 5 minutes ahead of its clock, saying the device clock is wrong', async () => {
      const ahead = learnerDoc();
      const future = new Date(Date.now() + 2 * 86_400_000).toISOString();
      const wrong = { ...ahead, sync: { ...ahead.sync, times: { ...ahead.sync.times, city: `${future}-0000-test-device` } } };
      const answer = await context.sync.push('learners', [insertRow(wrong)]);
      expect(answer.body.rejected).toEqual([{ id: ahead.uuid, reason: expect.stringMatching(/^This device's clock is 4\d hours ahead of the server's/) }]);
      const lmtAhead = learnerDoc({ last_modified_time: '9999-12-31 00:00:00.000000+00:00' });
      expect((await context.sync.push('learners', [insertRow(lmtAhead)])).body.rejected[0]?.reason).toMatch(/clock/);
      const slightly = learnerDoc();
      const near = new Date(Date.now() + 60_000).toISOString();
      const fine = { ...slightly, sync: { ...slightly.sync, times: { ...slightly.sync.times, city: `${near}-0000-test-device` } } };
      expect((await context.sync.push('learners', [insertRow(fine)])).body).toEqual({ conflicts: [], rejected: [] });
      expect(hlcMillis((await serverDoc(slightly.uuid)).sync.times.city!)).toBe(Date.parse(near));
    });

    it('refuses a pushed new profile for an archived learner', async () => {
      const learner = learnerDoc({ is_archived: true });
      await context.sync.push('learners', [insertRow(learner)]);
      const answer = await context.sync.push('learner_profiles', [insertRow(profileDoc(learner.uuid))]);
      expect(answer.body.rejected).toEqual([{ id: expect.any(String), reason: `Learner Profile cannot be created for the Learner id: ${learner.uuid} which is archived` }]);
    });

    it('replicates the conflict log: entries pushed are pulled, about learners it knows', async () => {
      const learner = learnerDoc();
      await context.sync.push('learners', [insertRow(learner)]);
      const time = now();
      const entry: StoredConflict = stampEdit(undefined, {
        uuid: idFromText(`conflict-test:${learner.uuid}`), record_type: 'learner', record_id: learner.uuid, learner_id: learner.uuid,
        learner_name: 'Ada Lovelace', field: 'city', kind: 'field', lost_value: '"Paris"', kept_value: '"Nice"', lost_device: 'Laptop A',
        kept_device: 'Laptop B', lost_time: '', kept_time: '', resolved: false, resolution: null, resolved_by: null, resolved_time: null,
        is_deleted: false, sync: unstamped(), created_time: time, last_modified_time: time,
      }, testDevice.tick(), testDevice);
      expect((await context.sync.push('conflicts', [insertRow(entry)])).body).toEqual({ conflicts: [], rejected: [] });
      expect((await context.sync.pullAll('conflicts')).documents.map((d) => stored(d))).toContainEqual(entry);
      const orphan = { ...entry, uuid: idFromText('orphan'), learner_id: 'N'.repeat(20), record_id: 'N'.repeat(20) };
      expect((await context.sync.push('conflicts', [insertRow(orphan)])).body.rejected).toEqual([{ id: orphan.uuid, reason: `Learner with uuid ${'N'.repeat(20)} not found` }]);
      // Resolving is an edit of the entry, like any other.
      const resolved = edited(entry, { resolved: true, resolution: 'kept', resolved_by: 'Laptop B', resolved_time: now() });
      expect((await context.sync.push('conflicts', [updateRow(entry, resolved)])).body).toEqual({ conflicts: [], rejected: [] });
    });

    it('gives bucket digests a device computes alike, and each bucket’s documents', async () => {
      const { documents } = await context.sync.pullAll('learners');
      const mine = new BucketDigest();
      for (const doc of documents) mine.add(doc as never);
      const digest = await context.sync.request<{ buckets: Record<string, string>; count: number }>('GET', '/sync/v1/learners/digest');
      expect(digest.body).toEqual({ buckets: mine.buckets(), count: documents.length });
      const bucket = bucketOf(String(documents[0]!.uuid));
      const inBucket = await context.sync.request<{ documents: { uuid: string }[] }>('GET', `/sync/v1/learners/bucket?b=${bucket}`);
      expect(inBucket.body.documents.map((d) => d.uuid).sort()).toEqual(documents.filter((d) => bucketOf(String(d.uuid)) === bucket).map((d) => String(d.uuid)).sort());
      expect((await context.sync.request('GET', '/sync/v1/learners/bucket?b=%25')).status).toBe(422);
      // A change moves the digest, and it catches up.
      await context.host.call('learner.create', { first_name: 'Digest', last_name: 'Moves', email_address: uniqueEmail() });
      const after = await context.sync.request<{ count: number }>('GET', '/sync/v1/learners/digest');
      expect(after.body.count).toBe(documents.length + 1);
    });
  });
}
