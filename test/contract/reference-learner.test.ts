// The reference service's learner route tests (`src/routes/learner_test.py`), ported: same requests, statuses,
// messages and field names, over HTTP against our server. Their fixtures write documents straight into Firestore;
// ours make them through the API (a deleted or archived learner is created, then deleted or archived).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { backends } from '../support/backends';
import { example, useReferenceServer, withoutTimes, type Json, type ReferenceClient } from './reference-host';

const LEARNERS_FILE = new URL('../fixtures/reference/learners.json', import.meta.url);

async function createLearner(client: ReferenceClient, overrides: Json = {}): Promise<Json> {
  const response = await client.post('/learner', { ...example('BASIC_LEARNER_EXAMPLE'), ...overrides });
  expect(response.status, JSON.stringify(response.json)).toBe(200);
  return response.json.data;
}

async function createProfile(client: ReferenceClient, learnerId: string): Promise<Json> {
  const response = await client.post(`/learner/${learnerId}/learner-profile`, example('BASIC_LEARNER_PROFILE_EXAMPLE'));
  expect(response.status, JSON.stringify(response.json)).toBe(200);
  return response.json.data;
}

for (const backend of backends) {
  describe(`reference learner_test.py on ${backend.name}`, () => {
    const client = useReferenceServer(backend);

    it('test_get_learner', async () => {
      const learner = await createLearner(client);
      const response = await client.get(`/learner/${learner.uuid}`);
      expect(response.status).toBe(200);
      expect(withoutTimes(response.json.data)).toEqual({ ...example('BASIC_LEARNER_EXAMPLE'), uuid: learner.uuid, is_archived: false, center_id: learner.center_id });
    });

    it('test_get_learner_negative_1', async () => {
      const uuid = 'U2DDBkl3Ayg0PWudzhI';
      const response = await client.get(`/learner/${uuid}`);
      expect(response.status).toBe(404);
      expect(response.json).toEqual({ success: false, message: `Learner with uuid ${uuid} not found`, data: null });
    });

    it('test_get_learner_negative_2 (a deleted learner)', async () => {
      const learner = await createLearner(client);
      await client.delete(`/learner/${learner.uuid}`);
      const response = await client.get(`/learner/${learner.uuid}`);
      expect(response.status).toBe(404);
      expect(response.json).toEqual({ success: false, message: `Learner with uuid ${learner.uuid} not found`, data: null });
    });

    it('test_post_learner', async () => {
      const post = await client.post('/learner', example('BASIC_LEARNER_EXAMPLE'));
      expect(post.json.success).toBe(true);
      expect(post.status).toBe(200);
      const uuid = post.json.data.uuid;
      const get = await client.get(`/learner/${uuid}`);
      expect(withoutTimes(get.json.data)).toEqual(withoutTimes(post.json.data));
      const stored = await client.stored('learners', uuid);
      expect(stored).toMatchObject({ ...withoutTimes(post.json.data), is_deleted: false });
    });

    it('test_update_learner (a partial phone entry)', async () => {
      const learner = await createLearner(client);
      const response = await client.put(`/learner/${learner.uuid}`, { phone_number: { mobile: { phone_number_type: 'Work' } } });
      expect(response.json.success).toBe(true);
      expect(response.json.message).toBe('Successfully updated the learner');
      expect(response.json.data.phone_number.mobile.phone_number_type).toBe('Work');
    });

    it('test_update_learner_negative', async () => {
      const response = await client.put('/learner/U2DDBkl3Ayg0PWudzhI', { phone_number: { mobile: { phone_number_type: 'Work' } } });
      expect(response.status).toBe(404);
      expect(response.json).toEqual({ success: false, message: 'Learner with uuid U2DDBkl3Ayg0PWudzhI not found', data: null });
    });

    it('test_delete_learner (with the profile)', async () => {
      const learner = await createLearner(client);
      const profile = await createProfile(client, learner.uuid);
      const response = await client.delete(`/learner/${learner.uuid}`);
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ success: true, message: 'Successfully deleted the learner' });
      expect((await client.stored('learners', learner.uuid))!.is_deleted).toBe(true);
      expect((await client.stored('learner_profiles', profile.uuid))!.is_deleted).toBe(true);
    });

    it('test_delete_learner_negative', async () => {
      const response = await client.delete('/learner/U2DDBkl3Ayg0PWudzhI');
      expect(response.status).toBe(404);
      expect(response.json).toEqual({ success: false, message: 'Learner with uuid U2DDBkl3Ayg0PWudzhI not found', data: null });
    });

    it('test_import_learners', async () => {
      const response = await client.postFile('/learner/import/json', 'json_file', 'learners.json', readFileSync(LEARNERS_FILE, 'utf8'));
      expect(response.status).toBe(200);
      expect(Array.isArray(response.json.data)).toBe(true);
      expect(response.json.data.length).toBeGreaterThan(0);
    });

    // Their fixture stores three learners with one email straight into Firestore; through the API a live email is
    // unique, so the deleted and archived ones get their own.
    const listFixture = async () => {
      const learner = await createLearner(client, { first_name: 'UpdatedFirstName' });
      const deleted = await createLearner(client, { first_name: 'UpdatedFirstName', email_address: 'deleted.jon@gmail.com' });
      await client.delete(`/learner/${deleted.uuid}`);
      const archived = await createLearner(client, { first_name: 'UpdatedFirstName', email_address: 'archived.jon@gmail.com' });
      await client.put(`/learner/${archived.uuid}`, { is_archived: true });
      return { learner, deleted, archived };
    };

    it('test_get_learners', async () => {
      const { learner, deleted, archived } = await listFixture();
      const response = await client.get('/learners', { skip: 0, limit: '30', fetch_archive: false });
      expect(response.status).toBe(200);
      const ids = response.json.data.records.map((record: Json) => record.uuid);
      expect(ids).toContain(learner.uuid);
      expect(ids).not.toContain(deleted.uuid);
      expect(ids).not.toContain(archived.uuid);
    });

    it('test_sort_learners', async () => {
      const { learner, deleted, archived } = await listFixture();
      const response = await client.get('/learners', { skip: 0, limit: '30', fetch_archive: false, sort_by: 'first_name', sort_order: 'ascending' });
      expect(response.status).toBe(200);
      const ids = response.json.data.records.map((record: Json) => record.uuid);
      expect(ids).toContain(learner.uuid);
      expect(ids).not.toContain(deleted.uuid);
      expect(ids).not.toContain(archived.uuid);
    });

    it('test_sort_learners_negative', async () => {
      const response = await client.get('/learners', { skip: 0, limit: '30', fetch_archive: false, sort_by: 'first_name', sort_order: 'asc' });
      expect(response.status).toBe(422);
      expect(response.json.success).toBe(false);
    });

    it('test_search_learner', async () => {
      // Both with one email, as theirs: the deleted one first, since a live email is unique.
      const deleted = await createLearner(client, { email_address: 'search_learner@email.com', first_name: 'Jon' });
      await client.delete(`/learner/${deleted.uuid}`);
      const learner = await createLearner(client, { email_address: 'search_learner@email.com', first_name: 'Jon' });
      for (const params of [{ first_name: 'Jon' }, { email_address: 'search_learner@email.com' }]) {
        const response = await client.get('/learner/search', params);
        expect(response.status).toBe(200);
        const ids = response.json.data.map((record: Json) => record.uuid);
        expect(ids).toContain(learner.uuid);
        expect(ids).not.toContain(deleted.uuid);
      }
    });

    it('test_search_learner_negative_1', async () => {
      const response = await client.get('/learner/search', { email_address: 'search_learner' });
      expect(response.status).toBe(422);
      expect(response.json.success).toBe(false);
      expect(response.json.data).toBeNull();
    });

    it('test_archive_learner (the profile is archived with the learner)', async () => {
      const learner = await createLearner(client);
      await createProfile(client, learner.uuid);
      const response = await client.put(`/learner/${learner.uuid}`, { is_archived: true });
      expect(response.json.success).toBe(true);
      expect(response.json.message).toBe('Successfully updated the learner');
      expect(response.json.data.is_archived).toBe(true);
      const profile = await client.get(`/learner/${learner.uuid}/learner-profile`);
      expect(profile.json.data.is_archived).toBe(true);
    });

    // Deliberate difference (api.md): the instructor, coach and curriculum-pathway routes are out of scope; they
    // need the platform's users, staff, association groups and pathways, which this product does not have.
    describe('instructor, coach and curriculum-pathway routes: out of scope (deliberate difference)', () => {
      const notServed = async (path: string) => {
        const response = await client.get(path);
        expect(response.status).toBe(404);
        expect(response.json).toEqual({ success: false, message: 'Not Found', data: null });
      };
      it('test_get_instructor', async () => {
        const learner = await createLearner(client);
        await notServed(`/learner/${learner.uuid}/curriculum-pathway/AnyDisciplineId00000/instructor`);
      });
      it('test_get_instructors', async () => {
        const learner = await createLearner(client);
        await notServed(`/learner/${learner.uuid}/curriculum-pathway/AnyProgramId00000000/instructors`);
      });
      it('test_get_coach_details', async () => {
        const learner = await createLearner(client);
        await notServed(`/learner/${learner.uuid}/coach`);
      });
      it('test_get_coach_details_negative_1', () => notServed('/learner/random_id/coach'));
      it('test_get_coach_details_negative_2', async () => {
        const learner = await createLearner(client, { email_address: 'another.learner@email.com' });
        await notServed(`/learner/${learner.uuid}/coach`);
      });
      it('test_get_coach_details_negative_3', async () => {
        const learner = await createLearner(client);
        await notServed(`/learner/${learner.uuid}/coach`);
      });
      it('test_get_curriculum_pathway_id_for_the_learner', async () => {
        const learner = await createLearner(client);
        await notServed(`/learner/${learner.uuid}/curriculum-pathway`);
      });
      it('test_get_curriculum_pathway_id_for_the_invalid_learner', () => notServed('/learner/learner/curriculum-pathway'));
      it('test_get_curriculum_pathway_id_for_the_learner_negative', async () => {
        const learner = await createLearner(client);
        await notServed(`/learner/${learner.uuid}/curriculum-pathway`);
      });
      it('test_get_curriculum_pathway_id_for_the_learner_negative2', async () => {
        const learner = await createLearner(client);
        await notServed(`/learner/${learner.uuid}/curriculum-pathway`);
      });
    });
  });
}
