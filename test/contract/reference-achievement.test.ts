// The reference service's achievement route tests (`src/routes/achievement_test.py`), ported: same requests,
// statuses, messages and field names, over HTTP against our server. Their fixtures write catalog entries straight
// into Firestore; ours make them through the API, then delete or archive them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { example, useReferenceServer, withoutTimes, type Json, type ReferenceClient } from './reference-host';

const ACHIEVEMENTS_FILE = new URL('../fixtures/reference/achievements.json', import.meta.url);

async function createAchievement(client: ReferenceClient, overrides: Json = {}): Promise<Json> {
  const response = await client.post('/achievement', { ...example('BASIC_ACHIEVEMENT_EXAMPLE'), ...overrides });
  expect(response.status, JSON.stringify(response.json)).toBe(200);
  return response.json.data;
}

for (const backend of backends) {
  describe(`reference achievement_test.py on ${backend.name}`, () => {
    const client = useReferenceServer(backend);

    it('test_post_achievement', async () => {
      const post = await client.post('/achievement', example('BASIC_ACHIEVEMENT_EXAMPLE'));
      expect(post.json.success).toBe(true);
      expect(post.status).toBe(200);
      const get = await client.get(`/achievement/${post.json.data.uuid}`);
      expect(withoutTimes(get.json.data)).toEqual(withoutTimes(post.json.data));
      expect(await client.stored('achievements', post.json.data.uuid)).toMatchObject({ ...withoutTimes(post.json.data), is_deleted: false });
    });

    it('test_update_achievement', async () => {
      const achievement = await createAchievement(client);
      const response = await client.put(`/achievement/${achievement.uuid}`, { ...example('BASIC_ACHIEVEMENT_EXAMPLE'), type: 'competency' });
      expect(response.json.success).toBe(true);
      expect(response.json.message).toBe('Successfully updated the achievement');
      expect(response.json.data.type).toBe('competency');
    });

    it('test_update_achievement_negative', async () => {
      await createAchievement(client);
      const response = await client.put('/achievement/U2DDBkl3Ayg0PWudzhI', example('BASIC_ACHIEVEMENT_EXAMPLE'));
      expect(response.status).toBe(404);
      expect(response.json).toEqual({ success: false, message: 'Achievement with uuid U2DDBkl3Ayg0PWudzhI not found', data: null });
    });

    it('test_delete_achievement', async () => {
      const achievement = await createAchievement(client);
      const response = await client.delete(`/achievement/${achievement.uuid}`);
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ success: true, message: 'Successfully deleted the achievement' });
      expect((await client.stored('achievements', achievement.uuid))!.is_deleted).toBe(true);
    });

    it('test_delete_achievement_negative', async () => {
      const response = await client.delete('/achievement/U2DDBkl3Ayg0PWudzhI');
      expect(response.status).toBe(404);
      expect(response.json).toEqual({ success: false, message: 'Achievement with uuid U2DDBkl3Ayg0PWudzhI not found', data: null });
    });

    it('test_import_achievements', async () => {
      const response = await client.postFile('/achievement/import/json', 'json_file', 'achievements.json', readFileSync(ACHIEVEMENTS_FILE, 'utf8'));
      expect(response.status).toBe(200);
      expect(Array.isArray(response.json.data)).toBe(true);
      expect(response.json.data.length).toBeGreaterThan(0);
    });

    const listFixture = async () => {
      const achievement = await createAchievement(client, { type: 'course equate' });
      const deleted = await createAchievement(client, { type: 'course equate' });
      await client.delete(`/achievement/${deleted.uuid}`);
      const archived = await createAchievement(client, { type: 'course equate' });
      await client.put(`/achievement/${archived.uuid}`, { is_archived: true });
      return { achievement, deleted, archived };
    };

    it('test_get_achievements', async () => {
      const { achievement, deleted, archived } = await listFixture();
      const response = await client.get('/achievements', { skip: 0, limit: '30', fetch_archive: false });
      expect(response.status).toBe(200);
      const ids = response.json.data.records.map((record: Json) => record.uuid);
      expect(ids).toContain(achievement.uuid);
      expect(ids).not.toContain(deleted.uuid);
      expect(ids).not.toContain(archived.uuid);
    });

    it('test_get_achievements_with_filters', async () => {
      const { achievement, deleted } = await listFixture();
      await createAchievement(client, { type: 'competency', name: 'Other' });
      for (const [params, field, value] of [
        [{ achievement_type: 'course equate' }, 'type', 'course equate'],
        [{ name: 'ML Professional' }, 'name', 'ML Professional'],
      ] as const) {
        const response = await client.get('/achievements', params);
        expect(response.status).toBe(200);
        const records: Json[] = response.json.data.records;
        expect(records.length).toBeGreaterThan(0);
        const ids = records.map((record) => record.uuid);
        expect(ids).toContain(achievement.uuid);
        expect(ids).not.toContain(deleted.uuid);
        for (const record of records) expect(record[field]).toBe(value);
      }
    });

    it('test_search_achievement', async () => {
      const achievement = await createAchievement(client);
      const response = await client.get('/achievement/search', { type: 'course equate' });
      expect(response.status).toBe(200);
      expect(response.json.data.map((record: Json) => record.uuid)).toEqual([achievement.uuid]);
    });

    it('test_archive_achievement', async () => {
      const achievement = await createAchievement(client);
      const response = await client.put(`/achievement/${achievement.uuid}`, { ...example('BASIC_ACHIEVEMENT_EXAMPLE'), is_archived: true });
      expect(response.json.success).toBe(true);
      expect(response.json.message).toBe('Successfully updated the achievement');
      expect(response.json.data.is_archived).toBe(true);
    });
  });
}
