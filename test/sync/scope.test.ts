// Which records leave a device when its token's centers narrow (electron/sync/scope.ts).
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppDatabase, type AppDatabase } from '../../electron/db/database';
import { outsideScope, scopeChange } from '../../electron/sync/scope';
import { profileUuidFor, randomId } from '../../shared/ids';
import { unstamped } from '../../shared/schemas/sync';
import { now } from '../../shared/time';
import { localHost } from '../support/local-host';

describe('a token narrower than the last one', () => {
  it('is told apart from a wider or the same one', () => {
    const only = (...centers: string[]) => ({ admin: false, centers });
    const admin = { admin: true, centers: [] };
    expect(scopeChange(undefined, only('a'))).toEqual({ narrowed: true, widened: true });
    expect(scopeChange(undefined, admin)).toEqual({ narrowed: false, widened: true });
    expect(scopeChange(only('a', 'b'), only('a'))).toEqual({ narrowed: true, widened: false });
    expect(scopeChange(only('a'), only('a', 'b'))).toEqual({ narrowed: false, widened: true });
    expect(scopeChange(only('a'), only('b'))).toEqual({ narrowed: true, widened: true });
    expect(scopeChange(only('a'), only('a'))).toEqual({ narrowed: false, widened: false });
    expect(scopeChange(admin, only('a', 'b'))).toEqual({ narrowed: true, widened: false });
    expect(scopeChange(only('a'), admin)).toEqual({ narrowed: false, widened: true });
  });
});

describe('records outside the centers', () => {
  let db: AppDatabase | undefined;
  afterEach(async () => {
    await db?.close();
  });

  it("are the other centers' learners, deleted ones too, with their profiles and conflict entries; unplaced learners stay", async () => {
    db = await createAppDatabase(getRxStorageMemory(), `scope-${process.pid}`);
    const host = await localHost(db);
    const [centerA, centerB] = [randomId(), randomId()];
    const learner = async (center: string | undefined, email: string) => {
      const created = await host.call('learner.create', { first_name: 'A', last_name: 'B', email_address: email });
      const uuid = (created.body.data as { uuid: string }).uuid;
      if (center !== undefined) await (await db!.learners.findOne(uuid).exec())!.incrementalPatch({ center_id: center });
      expect((await host.call('learnerProfile.create', uuid, { personal_goals: 'Goals' })).status).toBe(200);
      return uuid;
    };
    const here = await learner(centerA, 'here@example.org');
    const there = await learner(centerB, 'there@example.org');
    const unplaced = await learner(undefined, 'unplaced@example.org');
    const gone = await learner(centerB, 'gone@example.org');
    expect((await host.call('learner.delete', gone)).status).toBe(200);
    const time = now();
    const entry = (learnerId: string) => ({
      uuid: randomId(), record_type: 'learner' as const, record_id: learnerId, learner_id: learnerId, learner_name: 'A B', field: 'city',
      kind: 'field' as const, lost_value: '"Paris"', kept_value: '"Nice"', lost_device: 'Laptop A', kept_device: 'Laptop B', lost_time: '',
      kept_time: '', resolved: false, resolution: null, resolved_by: null, resolved_time: null, is_deleted: false, sync: unstamped(),
      created_time: time, last_modified_time: time,
    });
    const [aboutHere, aboutThere] = [entry(here), entry(there)];
    await db.conflicts.bulkInsert([aboutHere, aboutThere]);

    const outside = await outsideScope(db, { admin: false, centers: [centerA] });
    expect(outside.learners?.sort()).toEqual([there, gone].sort());
    expect(outside.learner_profiles?.sort()).toEqual([there, gone].map(profileUuidFor).sort());
    expect(outside.conflicts).toEqual([aboutThere.uuid]);
    expect([here, unplaced].some((uuid) => outside.learners?.includes(uuid))).toBe(false);
    expect(await outsideScope(db, { admin: false, centers: [centerA, centerB] })).toEqual({});
    expect(await outsideScope(db, { admin: true, centers: [] })).toEqual({});
    await host.close();
  });
});
