// The reference service's own example bodies (`schema_examples.py`), as a client of it sends them: each is accepted
// by create and update, and every field it sends comes back unchanged, from the answer and from a get.
import { describe, expect, it } from 'vitest';
import { ID_PATTERN } from '../../shared/ids';
import { backends } from '../support/backends';
import { example, useReferenceServer, withoutTimes, type Json } from './reference-host';

/** Every key the body sent, with the value it sent. */
const expectEcho = (data: Json, body: Json) => {
  for (const [key, value] of Object.entries(body)) expect(data[key], key).toEqual(value);
};

for (const backend of backends) {
  describe(`reference schema_examples.py bodies on ${backend.name}`, () => {
    const client = useReferenceServer(backend);

    it('BASIC_LEARNER_EXAMPLE is created and read back as sent; UPDATE_LEARNER_EXAMPLE updates it as sent', async () => {
      const basic = example('BASIC_LEARNER_EXAMPLE');
      const created = await client.post('/learner', basic);
      expect(created.status, JSON.stringify(created.json)).toBe(200);
      // Besides the reference's fields, a learner answers its center (../../spec/trust.md "Centers and tokens").
      expect(withoutTimes(created.json.data)).toEqual({ ...basic, uuid: created.json.data.uuid, is_archived: false, center_id: expect.stringMatching(ID_PATTERN) });
      const uuid = created.json.data.uuid;

      const update = example('UPDATE_LEARNER_EXAMPLE');
      const updated = await client.put(`/learner/${uuid}`, update);
      expect(updated.status, JSON.stringify(updated.json)).toBe(200);
      expectEcho(updated.json.data, update);
      const got = await client.get(`/learner/${uuid}`);
      expect(got.json.data).toEqual(updated.json.data);
      expect(Object.keys(got.json.data).sort()).toEqual([...Object.keys(basic), 'uuid', 'is_archived', 'center_id', 'created_time', 'last_modified_time'].sort());
    });

    it('POST_LEARNER_PROFILE_EXAMPLE and BASIC_LEARNER_PROFILE_EXAMPLE are created as sent; UPDATE_LEARNER_PROFILE_EXAMPLE updates as sent', async () => {
      for (const name of ['POST_LEARNER_PROFILE_EXAMPLE', 'BASIC_LEARNER_PROFILE_EXAMPLE'] as const) {
        const learner = await client.post('/learner', { ...example('BASIC_LEARNER_EXAMPLE'), email_address: `${name.toLowerCase()}@gmail.com` });
        const learnerId = learner.json.data.uuid;
        const body = example(name);
        const created = await client.post(`/learner/${learnerId}/learner-profile`, body);
        expect(created.status, JSON.stringify(created.json)).toBe(200);
        // The learner id is the path's: a body's own is ignored, as the reference ignores it.
        expect(withoutTimes(created.json.data)).toEqual({ ...body, learner_id: learnerId, uuid: created.json.data.uuid, is_archived: false });

        const update = example('UPDATE_LEARNER_PROFILE_EXAMPLE');
        const updated = await client.put(`/learner/${learnerId}/learner-profile/${created.json.data.uuid}`, update);
        expect(updated.status, JSON.stringify(updated.json)).toBe(200);
        expectEcho(updated.json.data, update);
        expect((await client.get(`/learner/${learnerId}/learner-profile`)).json.data).toEqual(updated.json.data);
        const byLearner = await client.put(`/learner/${learnerId}/learner-profile`, update);
        expect(byLearner.status).toBe(200);
        expectEcho(byLearner.json.data, update);
      }
    });

    it('POST_, BASIC_ and UPDATE_ACHIEVEMENT_EXAMPLE are created and updated as sent', async () => {
      for (const name of ['POST_ACHIEVEMENT_EXAMPLE', 'BASIC_ACHIEVEMENT_EXAMPLE'] as const) {
        const body = example(name);
        const created = await client.post('/achievement', body);
        expect(created.status, JSON.stringify(created.json)).toBe(200);
        expect(withoutTimes(created.json.data)).toEqual({ ...body, uuid: created.json.data.uuid, is_archived: false });
        const update = example('UPDATE_ACHIEVEMENT_EXAMPLE');
        const updated = await client.put(`/achievement/${created.json.data.uuid}`, update);
        expect(updated.status, JSON.stringify(updated.json)).toBe(200);
        expectEcho(updated.json.data, update);
        expect((await client.get(`/achievement/${created.json.data.uuid}`)).json.data).toEqual(updated.json.data);
      }
    });

    it('answers every field of a minimal create, with the defaults (null where the reference has none)', async () => {
      const learner = await client.post('/learner', { first_name: 'Jon', last_name: 'Doe', email_address: 'jon.doe@gmail.com' });
      expect(learner.status).toBe(200);
      const keys = Object.keys(example('BASIC_LEARNER_EXAMPLE'));
      expect(Object.keys(learner.json.data).sort()).toEqual([...keys, 'uuid', 'is_archived', 'center_id', 'created_time', 'last_modified_time'].sort());
      expect(learner.json.data).toMatchObject({
        middle_name: '',
        preferred_name_type: 'PreferredName',
        country_ansi_code: 10000,
        address_do_not_publish_indicator: 'Yes',
        phone_number: { mobile: {}, telephone: {} },
        email_do_not_publish_indicator: 'Yes',
        birth_date: null,
        country_of_birth_code: null,
        ethnicity: null,
        gender: 'NotSelected',
      });
      const partialPhone = await client.post('/learner', {
        first_name: 'Jane',
        last_name: 'Doe',
        email_address: 'jane.doe@gmail.com',
        phone_number: { mobile: { phone_number: '555 0100' } },
      });
      expect(partialPhone.json.data.phone_number).toEqual({
        mobile: { phone_number_type: 'Work', primary_phone_number_indicator: 'Yes', phone_number: '555 0100', phone_do_not_publish_indicator: 'Yes', phone_number_listed_status: 'Listed' },
        telephone: {},
      });

      const profile = await client.post(`/learner/${learner.json.data.uuid}/learner-profile`, {
        progress: { assessments: { a1: { name: 'Quiz' } } },
      });
      expect(profile.json.data.progress.assessments.a1).toEqual({
        name: 'Quiz',
        status: 'not_attempted',
        is_optional: false,
        is_hidden: true,
        parent_node: null,
        is_locked: true,
        progress: 0,
        last_attempted: null,
        num_attempts: null,
        child_count: null,
        completed_child_count: null,
        ungate: false,
        instruction_completed: null,
      });

      const achievement = await client.post('/achievement', { type: 'level', name: 'Level 1' });
      expect(withoutTimes(achievement.json.data)).toEqual({
        uuid: achievement.json.data.uuid,
        type: 'level',
        name: 'Level 1',
        description: null,
        alignments: { competency_alignments: [], skill_alignments: [] },
        associations: Object.fromEntries(Object.keys(example('POST_ACHIEVEMENT_EXAMPLE').associations).map((key) => [key, []])),
        credits_available: null,
        field_of_study: null,
        metadata: { design_config: {} },
        image: null,
        result_descriptions: null,
        tags: null,
        timestamp: null,
        is_archived: false,
      });
    });

    it('says "field required" for a missing required field of any type, an enum included', async () => {
      const achievement = await client.post('/achievement', { name: 'No type' });
      expect(achievement.status).toBe(422);
      expect(achievement.json.data).toEqual([{ loc: ['body', 'type'], msg: 'field required', type: 'value_error.missing' }]);
      const learner = await client.post('/learner', {});
      expect(learner.json.data.map((detail: Json) => [detail.loc, detail.msg])).toEqual([
        [['body', 'first_name'], 'field required'],
        [['body', 'last_name'], 'field required'],
        [['body', 'email_address'], 'field required'],
      ]);
    });
  });
}
