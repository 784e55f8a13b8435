// The contract of ../shared/spec/api.md as executable cases, run against every host (service, REST, desktop).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import seed from '../fixtures/seed-examples.json' with { type: 'json' };
import { ID_PATTERN, profileUuidFor } from '../../shared/ids';
import type { Result } from '../../shared/result';
import { TIME_PATTERN } from '../../shared/time';
import type { ContractHost } from '../support/hosts';

type Doc = Record<string, unknown> & { uuid: string };

export const seedProfileBody = seed.cases[0]!.body as Record<string, unknown>;

let counter = 0;
export const uniqueEmail = () => `learner.${Date.now().toString(36)}.${counter++}@example.com`;

const data = <T = Doc>(result: Result) => result.body.data as T;
/** A list's page: `{records, total_count}`, the reference service's shape. */
const records = (result: Result) => data<{ records: Doc[]; total_count: number }>(result).records;
const errorLocs = (result: Result) => (result.body.data as { loc: unknown[] }[]).map((d) => d.loc);
const errorFor = (result: Result, loc: unknown[]) =>
  (result.body.data as { loc: unknown[]; msg: string; type: string }[]).find(
    (d) => JSON.stringify(d.loc) === JSON.stringify(loc),
  );

function expectFail(result: Result, status: number, message: string) {
  expect(result).toEqual({ status, body: { success: false, message, data: null } });
}

function expectValidation(result: Result, loc: unknown[], msg?: string) {
  expect(result.status).toBe(422);
  expect(result.body.success).toBe(false);
  expect(result.body.message).toBe('Validation Failed');
  const detail = errorFor(result, loc);
  expect(detail, `no error at ${JSON.stringify(loc)} in ${JSON.stringify(result.body.data)}`).toBeDefined();
  if (msg) expect(detail!.msg).toBe(msg);
  expect(typeof detail!.type).toBe('string');
}

export function contractSuite(name: string, makeHost: () => Promise<ContractHost>) {
  describe(`${name}: contract`, () => {
    let host: ContractHost;
    beforeAll(async () => {
      host = await makeHost();
    });
    afterAll(() => host?.close());

    const newLearner = async (overrides: Record<string, unknown> = {}) => {
      const result = await host.call('learner.create', {
        first_name: 'Ada',
        last_name: 'Lovelace',
        email_address: uniqueEmail(),
        ...overrides,
      });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      return data(result);
    };
    const newProfile = async (learnerId: string, body: unknown = seedProfileBody) => {
      const result = await host.call('learnerProfile.create', learnerId, body);
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      return data(result);
    };

    describe('learner', () => {
      it('creates a learner with defaults, a random id, times and a lower-cased email', async () => {
        const email = uniqueEmail().toUpperCase();
        const result = await host.call('learner.create', { first_name: 'Grace', last_name: 'Hopper', email_address: email });
        expect(result.status).toBe(200);
        expect(result.body.success).toBe(true);
        expect(result.body.message).toBe('Successfully created the learner');
        const learner = data(result);
        expect(learner.uuid).toMatch(ID_PATTERN);
        expect(learner).toMatchObject({
          first_name: 'Grace',
          last_name: 'Hopper',
          email_address: email.toLowerCase(),
          preferred_name_type: 'PreferredName',
          email_address_type: 'Work',
          gender: 'NotSelected',
          is_archived: false,
        });
        expect(learner.created_time).toMatch(TIME_PATTERN);
        expect(learner.last_modified_time).toBe(learner.created_time);
        expect(learner).not.toHaveProperty('is_deleted');
        const again = await newLearner();
        expect(again.uuid).not.toBe(learner.uuid);
      });

      it('requires first name, last name and email, with "field required"', async () => {
        const result = await host.call('learner.create', {});
        for (const field of ['first_name', 'last_name', 'email_address']) {
          expectValidation(result, ['body', field], 'field required');
          expect(errorFor(result, ['body', field])!.type).toBe('value_error.missing');
        }
        expectValidation(await host.call('learner.create', null), ['body']);
        expectValidation(await host.call('learner.create', []), ['body']);
      });

      it('checks lengths, formats and enumerations of learner fields', async () => {
        const base = { first_name: 'A', last_name: 'B', email_address: uniqueEmail() };
        expectValidation(await host.call('learner.create', { ...base, first_name: 'x'.repeat(61) }), ['body', 'first_name']);
        expectValidation(await host.call('learner.create', { ...base, last_name: '' }), ['body', 'last_name']);
        expectValidation(await host.call('learner.create', { ...base, email_address: 'not-an-email' }), ['body', 'email_address']);
        expectValidation(await host.call('learner.create', { ...base, email_address: 'a@b.co' }), ['body', 'email_address']);
        expectValidation(await host.call('learner.create', { ...base, suffix: 'Jr.' }), ['body', 'suffix']);
        expectValidation(await host.call('learner.create', { ...base, gender: 'Other' }), ['body', 'gender']);
        expectValidation(await host.call('learner.create', { ...base, birth_date: '2001-02-30' }), ['body', 'birth_date']);
        expectValidation(await host.call('learner.create', { ...base, state_abbreviation: 'CAL' }), ['body', 'state_abbreviation']);
        expectValidation(
          await host.call('learner.create', { ...base, phone_number: { mobile: { phone_number: '1'.repeat(25) } } }),
          ['body', 'phone_number', 'mobile', 'phone_number'],
        );
        expectValidation(await host.call('learner.create', { ...base, employer_email: 'nope' }), ['body', 'employer_email']);
        const full = await newLearner({
          middle_name: 'M',
          suffix: 'Jr',
          birth_date: '2001-02-28',
          gender: 'Female',
          employer_email: '',
          phone_number: { mobile: { phone_number_type: 'Mobile', primary_phone_number_indicator: 'Yes', phone_number: '+1 555 0100' } },
        });
        expect(full).toMatchObject({ middle_name: 'M', suffix: 'Jr', birth_date: '2001-02-28', gender: 'Female' });
      });

      it('ignores unknown and server-set keys on create', async () => {
        const learner = await newLearner({ uuid: 'A'.repeat(20), is_archived: true, created_time: 'x', favourite_colour: 'blue' });
        expect(learner.uuid).not.toBe('A'.repeat(20));
        expect(learner.is_archived).toBe(false);
        expect(learner).not.toHaveProperty('favourite_colour');
      });

      it('refuses a second live learner with the same email, in any case', async () => {
        const email = uniqueEmail();
        await newLearner({ email_address: email });
        expectFail(
          await host.call('learner.create', { first_name: 'B', last_name: 'C', email_address: email.toUpperCase() }),
          409,
          `Learner with the given email address ${email} already exists`,
        );
      });

      it('refuses a backup email equal to the primary one', async () => {
        const email = uniqueEmail();
        const message = 'Primary email address and backup email address cannot be the same.';
        expectFail(
          await host.call('learner.create', { first_name: 'A', last_name: 'B', email_address: email, backup_email_address: email.toUpperCase() }),
          422,
          message,
        );
        const learner = await newLearner({ backup_email_address: uniqueEmail() });
        expectFail(
          await host.call('learner.update', learner.uuid, { backup_email_address: learner.email_address }),
          422,
          message,
        );
      });

      it('gets a learner; missing or deleted ones are 404; archived ones are returned', async () => {
        const learner = await newLearner();
        const got = await host.call('learner.get', learner.uuid);
        expect(got).toEqual({ status: 200, body: { success: true, message: 'Successfully fetched the learner', data: learner } });
        expectFail(await host.call('learner.get', 'WPXbWYopqpoTbyl9'), 404, 'Learner with uuid WPXbWYopqpoTbyl9 not found');
        await host.call('learner.update', learner.uuid, { is_archived: true });
        expect((await host.call('learner.get', learner.uuid)).status).toBe(200);
        await host.call('learner.delete', learner.uuid);
        expectFail(await host.call('learner.get', learner.uuid), 404, `Learner with uuid ${learner.uuid} not found`);
      });

      it('updates partially: absent and null keep, time moves forward, id and creation time stay', async () => {
        const learner = await newLearner({ city: 'Paris', ethnicity: 'x' });
        const result = await host.call('learner.update', learner.uuid, { first_name: 'Augusta', city: null });
        expect(result.status).toBe(200);
        expect(result.body.message).toBe('Successfully updated the learner');
        const updated = data(result);
        expect(updated).toMatchObject({ uuid: learner.uuid, first_name: 'Augusta', city: 'Paris', ethnicity: 'x', created_time: learner.created_time });
        expect(String(updated.last_modified_time) > String(learner.last_modified_time)).toBe(true);
        expect(data(await host.call('learner.get', learner.uuid))).toEqual(updated);
      });

      it('forbids unknown and non-editable keys on update', async () => {
        const learner = await newLearner();
        const forbidden = ['uuid', 'middle_name', 'suffix', 'prefix', 'created_time', 'last_modified_time', 'is_deleted', 'colour'];
        const result = await host.call('learner.update', learner.uuid, Object.fromEntries(forbidden.map((k) => [k, 'x'])));
        for (const key of forbidden) expectValidation(result, ['body', key], 'extra fields not permitted');
        expect(errorFor(result, ['body', 'uuid'])!.type).toBe('value_error.extra');
      });

      it('checks the body, then existence, then the duplicate email', async () => {
        expectValidation(await host.call('learner.update', 'WPXbWYopqpoTbyl9', { first_name: '' }), ['body', 'first_name']);
        expectFail(await host.call('learner.update', 'WPXbWYopqpoTbyl9', { first_name: 'A' }), 404, 'Learner with uuid WPXbWYopqpoTbyl9 not found');
        const a = await newLearner();
        const b = await newLearner();
        expectFail(
          await host.call('learner.update', b.uuid, { email_address: String(a.email_address).toUpperCase() }),
          409,
          `Learner with the given email address ${a.email_address} already exists`,
        );
        expect((await host.call('learner.update', b.uuid, { email_address: b.email_address })).status).toBe(200);
      });

      it('archiving a learner archives the live profile, moving its time; archiving a profile leaves the learner', async () => {
        const learner = await newLearner();
        const profile = await newProfile(learner.uuid);
        expect((await host.call('learner.update', learner.uuid, { is_archived: true })).status).toBe(200);
        const archived = data(await host.call('learnerProfile.get', learner.uuid, profile.uuid));
        expect(archived.is_archived).toBe(true);
        expect(String(archived.last_modified_time) > String(profile.last_modified_time)).toBe(true);
        await host.call('learner.update', learner.uuid, { is_archived: false });
        expect(data(await host.call('learnerProfile.get', learner.uuid, profile.uuid)).is_archived).toBe(false);

        await host.call('learnerProfile.update', learner.uuid, profile.uuid, { is_archived: true });
        expect(data(await host.call('learner.get', learner.uuid)).is_archived).toBe(false);
      });

      it('deletes softly, with the profile; the email can then be reused', async () => {
        const learner = await newLearner();
        await newProfile(learner.uuid);
        const result = await host.call('learner.delete', learner.uuid);
        expect(result).toEqual({ status: 200, body: { success: true, message: 'Successfully deleted the learner' } });
        expectFail(await host.call('learner.delete', learner.uuid), 404, `Learner with uuid ${learner.uuid} not found`);
        expectFail(await host.call('learnerProfile.getByLearner', learner.uuid), 404, `Learner with uuid ${learner.uuid} not found`);
        const found = await host.call('learnerProfile.list', { limit: 100 });
        expect(records(found).some((p) => p.learner_id === learner.uuid)).toBe(false);
        await newLearner({ email_address: learner.email_address });
      });

      it('searches by exact first name or by email; first name wins; deleted learners are left out', async () => {
        const firstName = `Zed${counter++}`;
        const a = await newLearner({ first_name: firstName });
        const b = await newLearner({ first_name: firstName });
        const byName = await host.call('learner.search', { first_name: firstName });
        expect(byName.status).toBe(200);
        expect(byName.body.message).toBe('Successfully fetched the learners');
        expect(data<Doc[]>(byName).map((l) => l.uuid).sort()).toEqual([a.uuid, b.uuid].sort());
        expect(data<Doc[]>(await host.call('learner.search', { first_name: firstName.toLowerCase() }))).toEqual([]);
        const byEmail = await host.call('learner.search', { email_address: String(a.email_address).toUpperCase() });
        expect(data<Doc[]>(byEmail).map((l) => l.uuid)).toEqual([a.uuid]);
        const both = await host.call('learner.search', { first_name: firstName, email_address: a.email_address });
        expect(data<Doc[]>(both)).toHaveLength(2);
        await host.call('learner.delete', b.uuid);
        expect(data<Doc[]>(await host.call('learner.search', { first_name: firstName })).map((l) => l.uuid)).toEqual([a.uuid]);
        expect(data<Doc[]>(await host.call('learner.search', { email_address: uniqueEmail() }))).toEqual([]);
        expectFail(await host.call('learner.search', { email_address: 'nope' }), 422, 'Invalid email ID format: nope');
        expectFail(await host.call('learner.search', {}), 422, 'Missing or invalid request parameters');
        expectFail(await host.call('learner.search', { first_name: '' }), 422, 'Missing or invalid request parameters');
      });
    });

    describe('learner profile', () => {
      it("creates the seed's profile, with the learner id, a derived uuid and times", async () => {
        const learner = await newLearner();
        const result = await host.call('learnerProfile.create', learner.uuid, seedProfileBody);
        const expected = seed.cases[0]!.expect as { status: number; message: string; data_includes: object; data_has: string[] };
        expect(result.status).toBe(expected.status);
        expect(result.body.message).toBe(expected.message);
        const profile = data(result);
        expect(profile).toMatchObject(expected.data_includes);
        for (const key of expected.data_has) expect(profile).toHaveProperty(key);
        expect(profile).toMatchObject({ learner_id: learner.uuid, uuid: profileUuidFor(learner.uuid), is_archived: false });
        expect(profile.uuid).toMatch(ID_PATTERN);
        expect(profile.created_time).toMatch(TIME_PATTERN);
        expect(profile).not.toHaveProperty('is_deleted');
      });

      it('fills defaults for absent and null fields, with nested defaults', async () => {
        const learner = await newLearner();
        const profile = await newProfile(learner.uuid, {
          learning_goals: null,
          learning_constraints: {},
          contact_preferences: { email: true },
          progress: { assessments: { a1: { name: 'Quiz' } } },
          learner_id: 'ignored',
          uuid: 'ignored',
          is_archived: true,
          unknown_key: 1,
        });
        expect(profile).toMatchObject({
          learner_id: learner.uuid,
          learning_goals: [],
          learning_constraints: { weekly_study_time: 0 },
          employment_status: '',
          personal_goals: '',
          contact_preferences: { email: true, phone: false },
          progress: {
            curriculum_pathways: {},
            learning_experiences: {},
            learning_objects: {},
            learning_resources: {},
            assessments: { a1: { name: 'Quiz', status: 'not_attempted' } },
          },
          achievements: [],
          is_archived: false,
        });
        expect(profile).not.toHaveProperty('unknown_key');
        const bare = await newProfile((await newLearner()).uuid, {});
        expect(bare.learning_constraints).toBeNull();
        expect(bare.contact_preferences).toEqual({ email: false, phone: false });
      });

      it('validates every field up front', async () => {
        const learner = await newLearner();
        const cases: [Record<string, unknown>, unknown[], string?][] = [
          [{ learning_constraints: { weekly_study_time: 31 } }, ['body', 'learning_constraints', 'weekly_study_time']],
          [{ learning_constraints: { weekly_study_time: 1.5 } }, ['body', 'learning_constraints', 'weekly_study_time']],
          [{ learning_constraints: { weekly_study_time: -1 } }, ['body', 'learning_constraints', 'weekly_study_time']],
          [{ employment_status: 'Retired' }, ['body', 'employment_status']],
          [{ employment_history: { a: 1 } }, ['body', 'employment_history'], 'Only an empty dictionary is allowed.'],
          [{ education_history: { a: 1 } }, ['body', 'education_history'], 'Only an empty dictionary is allowed.'],
          [{ account_settings: { a: 1 } }, ['body', 'account_settings'], 'Only an empty dictionary is allowed.'],
          [{ potential_career_fields: ['a', 'b', 'c', 'd'] }, ['body', 'potential_career_fields']],
          [{ personal_goals: 'x'.repeat(501) }, ['body', 'personal_goals']],
          [{ contact_preferences: { email: 'yes' } }, ['body', 'contact_preferences', 'email']],
          [{ progress: { assessments: { a: { status: 'completed' } } } }, ['body', 'progress', 'assessments', 'a', 'name'], 'field required'],
          [{ progress: { assessments: { a: { name: 'x', status: 'done' } } } }, ['body', 'progress', 'assessments', 'a', 'status']],
          [{ learning_goals: 'Teamwork' }, ['body', 'learning_goals']],
          [{ tagged_skills: [1] }, ['body', 'tagged_skills', 0]],
          [{ learning_preferences: [] }, ['body', 'learning_preferences']],
        ];
        for (const [body, loc, msg] of cases) expectValidation(await host.call('learnerProfile.create', learner.uuid, body), loc, msg);
        expect((await host.call('learnerProfile.create', learner.uuid, { personal_goals: 'x'.repeat(500) })).status).toBe(200);
      });

      it('checks the body, the learner, archiving, the existing profile, then achievements', async () => {
        expectValidation(await host.call('learnerProfile.create', 'WPXbWYopqpoTbyl9', { employment_status: 'x' }), ['body', 'employment_status']);
        expectFail(await host.call('learnerProfile.create', 'WPXbWYopqpoTbyl9', seedProfileBody), 404, 'Learner with uuid WPXbWYopqpoTbyl9 not found');

        const archived = await newLearner();
        await host.call('learner.update', archived.uuid, { is_archived: true });
        expectFail(
          await host.call('learnerProfile.create', archived.uuid, seedProfileBody),
          422,
          `Learner Profile cannot be created for the Learner id: ${archived.uuid} which is archived`,
        );

        const learner = await newLearner();
        expectFail(await host.call('learnerProfile.create', learner.uuid, { achievements: ['NoSuchAchievement00'] }), 404, 'Achievement with uuid NoSuchAchievement00 not found');
        await newProfile(learner.uuid);
        const exists = `Learner Profile with the given learner id: ${learner.uuid} already exists`;
        expectFail(await host.call('learnerProfile.create', learner.uuid, seedProfileBody), 409, exists);
        // A deleted profile can be created again (../spec/sync.md): the same derived uuid, fresh fields, its first
        // creation time kept.
        await host.call('learnerProfile.delete', learner.uuid);
        const revived = await host.call('learnerProfile.create', learner.uuid, { personal_goals: 'Start again' });
        expect(revived.status).toBe(200);
        expect(data(revived)).toMatchObject({ uuid: profileUuidFor(learner.uuid), personal_goals: 'Start again', learning_goals: [], is_archived: false });
        expectFail(await host.call('learnerProfile.create', learner.uuid, seedProfileBody), 409, exists);

        const deleted = await newLearner();
        await host.call('learner.delete', deleted.uuid);
        expectFail(await host.call('learnerProfile.create', deleted.uuid, {}), 404, `Learner with uuid ${deleted.uuid} not found`);
      });

      it('accepts achievements from the catalog', async () => {
        const id = await host.addAchievement({ type: 'competency', name: 'Teamwork', description: 'Works well with others' });
        const learner = await newLearner();
        const profile = await newProfile(learner.uuid, { achievements: [id] });
        expect(profile.achievements).toEqual([id]);
        const got = await host.call('achievement.get', id);
        expect(got.status).toBe(200);
        expect(got.body.message).toBe('Successfully fetched the achievement');
        expect(data(got)).toMatchObject({ uuid: id, type: 'competency', name: 'Teamwork' });
        expectFail(await host.call('achievement.get', 'NoSuchAchievement00'), 404, 'Achievement with uuid NoSuchAchievement00 not found');
        const list = await host.call('achievement.list', {});
        expect(list.body.message).toBe('Successfully fetched the achievements');
        expect(records(list).some((a) => a.uuid === id)).toBe(true);
      });

      it('gets by uuid; never reveals a profile under another learner', async () => {
        const learner = await newLearner();
        const profile = await newProfile(learner.uuid);
        const got = await host.call('learnerProfile.get', learner.uuid, profile.uuid);
        expect(got).toEqual({ status: 200, body: { success: true, message: 'Successfully fetched the learner profile', data: profile } });
        expectFail(await host.call('learnerProfile.get', 'WPXbWYopqpoTbyl9', profile.uuid), 404, 'Learner with uuid WPXbWYopqpoTbyl9 not found');
        expectFail(await host.call('learnerProfile.get', learner.uuid, '5k5OG88iCAaY56DkAk9k'), 404, 'Learner with uuid 5k5OG88iCAaY56DkAk9k not found');
        const other = await newLearner();
        expectFail(await host.call('learnerProfile.get', other.uuid, profile.uuid), 404, `Learner with uuid ${profile.uuid} not found`);
        await host.call('learnerProfile.update', learner.uuid, profile.uuid, { is_archived: true });
        expect((await host.call('learnerProfile.get', learner.uuid, profile.uuid)).status).toBe(200);
      });

      it('updates by a top-level merge: absent and null keep, a sent key replaces, [] clears', async () => {
        const learner = await newLearner();
        const profile = await newProfile(learner.uuid, {
          ...seedProfileBody,
          tagged_skills: ['a', 'b'],
          learning_preferences: { style: 'visual', pace: 'slow' },
          personal_goals: 'Finish',
        });
        const result = await host.call('learnerProfile.update', learner.uuid, profile.uuid, {
          tagged_skills: [],
          learning_preferences: { style: 'audio' },
          personal_goals: null,
          learning_constraints: { weekly_study_time: 12 },
          is_archived: true,
        });
        expect(result.status).toBe(200);
        expect(result.body.message).toBe('Successfully updated the learner profile');
        const updated = data(result);
        expect(updated).toMatchObject({
          uuid: profile.uuid,
          learner_id: learner.uuid,
          created_time: profile.created_time,
          tagged_skills: [],
          learning_preferences: { style: 'audio' },
          personal_goals: 'Finish',
          learning_goals: profile.learning_goals,
          learning_constraints: { weekly_study_time: 12 },
          is_archived: true,
        });
        expect(String(updated.last_modified_time) > String(profile.last_modified_time)).toBe(true);
        expect(data(await host.call('learnerProfile.get', learner.uuid, profile.uuid))).toEqual(updated);
      });

      it("answers the seed's update and its two 404s", async () => {
        const learner = await newLearner();
        const profile = await newProfile(learner.uuid);
        const [update, missingLearner, missingProfile] = seed.cases.slice(4);
        const ok = await host.call('learnerProfile.update', learner.uuid, profile.uuid, update!.body);
        expect(ok.status).toBe(200);
        expect(ok.body.message).toBe(update!.expect.message);
        expect(data(ok)).toMatchObject(update!.expect.data_includes as object);
        expect((await host.call('learnerProfile.update', 'WPXbWYopqpoTbyl9', profile.uuid, missingLearner!.body)).body).toEqual(
          missingLearner!.expect.body,
        );
        expect((await host.call('learnerProfile.update', learner.uuid, '5k5OG88iCAaY56DkAk9k', missingProfile!.body)).body).toEqual(
          missingProfile!.expect.body,
        );
      });

      it('forbids unknown and non-editable keys on update, before looking anything up', async () => {
        const forbidden = ['learner_id', 'uuid', 'created_time', 'last_modified_time', 'enrollment_information', 'is_deleted', 'colour'];
        const result = await host.call('learnerProfile.update', 'WPXbWYopqpoTbyl9', 'x', Object.fromEntries(forbidden.map((k) => [k, 'x'])));
        for (const key of forbidden) expectValidation(result, ['body', key], 'extra fields not permitted');
        const byLearner = await host.call('learnerProfile.updateByLearner', 'WPXbWYopqpoTbyl9', { uuid: 'x' });
        expectValidation(byLearner, ['body', 'uuid'], 'extra fields not permitted');
      });

      it('refuses unknown achievements on update', async () => {
        const learner = await newLearner();
        const profile = await newProfile(learner.uuid);
        expectFail(
          await host.call('learnerProfile.update', learner.uuid, profile.uuid, { achievements: ['NoSuchAchievement00'] }),
          404,
          'Achievement with uuid NoSuchAchievement00 not found',
        );
        expect(data(await host.call('learnerProfile.get', learner.uuid, profile.uuid))).toEqual(profile);
      });

      it('gets, updates and deletes by learner', async () => {
        const learner = await newLearner();
        const noProfile = `LearnerProfile with learner id ${learner.uuid} not found`;
        expectFail(await host.call('learnerProfile.getByLearner', learner.uuid), 404, noProfile);
        expectFail(await host.call('learnerProfile.updateByLearner', learner.uuid, {}), 404, noProfile);
        expectFail(await host.call('learnerProfile.delete', learner.uuid), 404, noProfile);
        expectFail(await host.call('learnerProfile.getByLearner', 'WPXbWYopqpoTbyl9'), 404, 'Learner with uuid WPXbWYopqpoTbyl9 not found');

        const profile = await newProfile(learner.uuid);
        const got = await host.call('learnerProfile.getByLearner', learner.uuid);
        expect(got.body).toEqual({ success: true, message: 'Successfully fetched the learner profile', data: profile });
        const updated = await host.call('learnerProfile.updateByLearner', learner.uuid, { personal_goals: 'Graduate' });
        expect(updated.body.message).toBe('Successfully updated the learner profile');
        expect(data(updated).personal_goals).toBe('Graduate');

        const deleted = await host.call('learnerProfile.delete', learner.uuid);
        expect(deleted).toEqual({ status: 200, body: { success: true, message: 'Successfully deleted the learner profile' } });
        expectFail(await host.call('learnerProfile.getByLearner', learner.uuid), 404, noProfile);
        expectFail(await host.call('learnerProfile.get', learner.uuid, profile.uuid), 404, `Learner with uuid ${profile.uuid} not found`);
        expect(data(await host.call('learner.get', learner.uuid)).uuid).toBe(learner.uuid);
      });

      it('searches by learner id', async () => {
        const learner = await newLearner();
        const profile = await newProfile(learner.uuid);
        const found = await host.call('learnerProfile.search', { learner_id: learner.uuid });
        expect(found.body).toEqual({ success: true, message: 'Successfully fetched the learner profiles', data: [profile] });
        expectFail(await host.call('learnerProfile.search', {}), 422, 'Missing or invalid request parameters');
        expectFail(await host.call('learnerProfile.search', { learner_id: '' }), 422, 'Missing or invalid request parameters');
        expectFail(await host.call('learnerProfile.search', { learner_id: 'WPXbWYopqpoTbyl9' }), 404, 'Learner with uuid WPXbWYopqpoTbyl9 not found');
        const other = await newLearner();
        expectFail(await host.call('learnerProfile.search', { learner_id: other.uuid }), 404, `LearnerProfile with learner id ${other.uuid} not found`);
      });
    });
  });

  describe(`${name}: lists`, () => {
    let host: ContractHost;
    const learners: Doc[] = [];
    beforeAll(async () => {
      host = await makeHost();
      // Created one after another, so creation times are strictly increasing.
      for (const [i, first] of ['Carol', 'alice', 'Bob', 'Dave', 'Erin'].entries()) {
        const result = await host.call('learner.create', { first_name: first, last_name: `L${5 - i}`, email_address: uniqueEmail() });
        learners.push(data(result));
      }
      for (const [i, learner] of learners.entries()) {
        await host.call('learnerProfile.create', learner.uuid, { learning_goals: i % 2 === 0 ? ['Teamwork'] : ['Math'] });
      }
      await host.call('learner.update', learners[3]!.uuid, { is_archived: true });
      await host.call('learner.delete', learners[4]!.uuid);
    });
    afterAll(() => host?.close());
    const names = (result: Result) => records(result).map((l) => l.first_name);
    const owners = (result: Result) => records(result).map((p) => learners.findIndex((l) => l.uuid === p.learner_id));
    const total = (result: Result) => data<{ total_count: number }>(result).total_count;

    it('lists learners newest first by default, without deleted ones', async () => {
      const result = await host.call('learner.list', {});
      expect(result.status).toBe(200);
      expect(result.body.message).toBe('Data fetched successfully');
      expect(names(result)).toEqual(['Dave', 'Bob', 'alice', 'Carol']);
      expect(names(await host.call('learner.list', undefined))).toEqual(['Dave', 'Bob', 'alice', 'Carol']);
    });

    it('sorts, pages and filters archived learners', async () => {
      expect(names(await host.call('learner.list', { sort_by: 'first_name', sort_order: 'ascending' }))).toEqual(['Bob', 'Carol', 'Dave', 'alice']);
      expect(names(await host.call('learner.list', { sort_by: 'last_name', sort_order: 'ascending' }))).toEqual(['Dave', 'Bob', 'alice', 'Carol']);
      expect(names(await host.call('learner.list', { sort_by: 'created_time', sort_order: 'ascending', skip: 1, limit: 2 }))).toEqual(['alice', 'Bob']);
      expect(names(await host.call('learner.list', { fetch_archive: true }))).toEqual(['Dave']);
      expect(names(await host.call('learner.list', { fetch_archive: false }))).toEqual(['Bob', 'alice', 'Carol']);
      expect(names(await host.call('learner.list', { fetch_archive: 'false', skip: '0', limit: '2' }))).toEqual(['Bob', 'alice']);
    });

    it('counts every match in total_count, before skip and limit', async () => {
      const page = await host.call('learner.list', { skip: 1, limit: 2 });
      expect(Object.keys(data(page)).sort()).toEqual(['records', 'total_count']);
      expect(total(page)).toBe(4);
      expect(total(await host.call('learner.list', { fetch_archive: true }))).toBe(1);
      expect(total(await host.call('learner.list', { skip: 2000 }))).toBe(4);
      expect(total(await host.call('learnerProfile.list', { learning_goal: 'Teamwork', limit: 1 }))).toBe(2);
      expect(total(await host.call('learnerProfile.list', { fetch_archive: false }))).toBe(3);
    });

    it('reads query booleans as the reference does: true/false, 1/0, yes/no, on/off, t/f, y/n, any case', async () => {
      for (const word of ['true', 'True', 'TRUE', '1', 'yes', 'Yes', 'on', 'ON', 't', 'y']) {
        expect(names(await host.call('learner.list', { fetch_archive: word })), word).toEqual(['Dave']);
      }
      for (const word of ['false', 'False', '0', 'no', 'NO', 'off', 'Off', 'f', 'n']) {
        expect(names(await host.call('learner.list', { fetch_archive: word })), word).toEqual(['Bob', 'alice', 'Carol']);
      }
      for (const word of ['', '2', 'maybe', 'yess', ' true']) {
        expectValidation(await host.call('learnerProfile.list', { fetch_archive: word }), ['query', 'fetch_archive']);
      }
    });

    it('refuses list parameters out of range', async () => {
      for (const [query, field] of [
        [{ skip: -1 }, 'skip'],
        [{ skip: 2001 }, 'skip'],
        [{ limit: 0 }, 'limit'],
        [{ limit: 101 }, 'limit'],
        [{ limit: 'ten' }, 'limit'],
        [{ sort_by: 'email_address' }, 'sort_by'],
        [{ sort_order: 'up' }, 'sort_order'],
        [{ fetch_archive: 'maybe' }, 'fetch_archive'],
      ] as const) {
        expectValidation(await host.call('learner.list', query), ['query', field]);
      }
      expect((await host.call('learner.list', { skip: 2000, limit: 100 })).status).toBe(200);
      expectValidation(await host.call('learnerProfile.list', { limit: 101 }), ['query', 'limit']);
      expectValidation(await host.call('achievement.list', { skip: 2001 }), ['query', 'skip']);
    });

    it('lists profiles newest first, filtered by learning goal and archiving, without deleted ones', async () => {
      const all = await host.call('learnerProfile.list', {});
      expect(all.status).toBe(200);
      expect(all.body.message).toBe('Successfully fetched the learner profile/s');
      expect(owners(all)).toEqual([3, 2, 1, 0]);
      expect(owners(await host.call('learnerProfile.list', { learning_goal: 'Teamwork' }))).toEqual([2, 0]);
      expect(owners(await host.call('learnerProfile.list', { fetch_archive: true }))).toEqual([3]);
      expect(owners(await host.call('learnerProfile.list', { fetch_archive: false, learning_goal: 'Math' }))).toEqual([1]);
      expect(owners(await host.call('learnerProfile.list', { skip: 1, limit: 2 }))).toEqual([2, 1]);
      expect(errorLocs(await host.call('learnerProfile.list', { skip: 'x' }))).toEqual([['query', 'skip']]);
    });
  });

  describe(`${name}: names`, () => {
    let host: ContractHost;
    beforeAll(async () => {
      host = await makeHost();
    });
    afterAll(() => host?.close());
    const base = () => ({ first_name: 'Ada', last_name: 'Lovelace', email_address: uniqueEmail() });

    it('trims names; an optional one may be empty, no name may be only white space', async () => {
      const created = await host.call('learner.create', { ...base(), first_name: '  Ada ', last_name: '\tLovelace\n', middle_name: ' King ', preferred_name: '', preferred_first_name: ' Addie ' });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      expect(data(created)).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace', middle_name: 'King', preferred_name: '', preferred_first_name: 'Addie' });
      for (const field of ['first_name', 'last_name']) {
        expectValidation(await host.call('learner.create', { ...base(), [field]: '   ' }), ['body', field], 'field required');
        expectValidation(await host.call('learner.update', data(created).uuid, { [field]: '\u00a0 ' }), ['body', field], 'field required');
      }
      for (const field of ['middle_name', 'preferred_name', 'preferred_first_name', 'preferred_middle_name', 'preferred_last_name']) {
        expectValidation(await host.call('learner.create', { ...base(), [field]: '  ' }), ['body', field], 'field required');
      }
      const renamed = await host.call('learner.update', data(created).uuid, { first_name: ' Augusta  Ada ', preferred_last_name: ' Byron ' });
      expect(data(renamed)).toMatchObject({ first_name: 'Augusta  Ada', preferred_last_name: 'Byron' });
    });

    it('refuses bidirectional controls, invisible format characters and noncharacters in names', async () => {
      const hidden = ['\u202e', '\u202a', '\u2066', '\u2069', '\u200b', '\u200d', '\u200f', '\ufeff', '\u061c', '\ufdd0', '\uffff', '\u{1fffe}', '\u{10ffff}'];
      for (const char of hidden) {
        const result = await host.call('learner.create', { ...base(), first_name: `Ad${char}a` });
        expectValidation(result, ['body', 'first_name']);
        expect(errorFor(result, ['body', 'first_name'])!.msg).toMatch(/invisible/);
      }
      expectValidation(await host.call('learner.create', { ...base(), preferred_name: 'Jo\u200bJo' }), ['body', 'preferred_name']);
      const learner = await newLearner();
      expectValidation(await host.call('learner.update', learner.uuid, { last_name: 'Smith\u202e' }), ['body', 'last_name']);
      // Letters of any script, accents and emoji are names like any other.
      const world = await host.call('learner.create', { ...base(), first_name: 'Zoë', last_name: 'Ñúñez-Ōtake 李', preferred_name: 'Zo 😀' });
      expect(world.status).toBe(200);
    });

    const newLearner = async () => data((await host.call('learner.create', base())));
  });

  describe(`${name}: imports`, () => {
    let host: ContractHost;
    beforeAll(async () => {
      host = await makeHost();
    });
    afterAll(() => host?.close());
    const record = (first_name: string, extra: Record<string, unknown> = {}) => ({ first_name, last_name: 'Imported', email_address: uniqueEmail(), ...extra });
    const byFirstName = async (first_name: string) => data<Doc[]>(await host.call('learner.search', { first_name }));

    it('imports learners: every record created as a create would, their ids in the file\'s order', async () => {
      const tag = `Imp${counter++}`;
      const records = [record(`${tag}a`), record(`${tag}b`, { city: 'Lyon', uuid: 'ignored' }), record(`${tag}c`)];
      const result = await host.call('learner.import', records);
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      expect(result.body.message).toBe('Successfully created the learners');
      const ids = data<string[]>(result);
      expect(ids).toHaveLength(3);
      for (const [index, id] of ids.entries()) {
        const learner = data(await host.call('learner.get', id));
        expect(learner).toMatchObject({ first_name: records[index]!.first_name, email_address: records[index]!.email_address, gender: 'NotSelected' });
      }
      expect(data(await host.call('learner.get', ids[1]!)).city).toBe('Lyon');
      const single = await host.call('learner.import', record(`${tag}d`));
      expect(data<string[]>(single)).toHaveLength(1);
    });

    it('creates nothing when one record is bad, and names the record by its index', async () => {
      const tag = `Bad${counter++}`;
      const { email_address: _missing, ...noEmail } = record(`${tag}b`);
      const result = await host.call('learner.import', [record(`${tag}a`), noEmail, record(`${tag}c`, { gender: 'Other' })]);
      expectValidation(result, ['body', 1, 'email_address'], 'field required');
      expectValidation(result, ['body', 2, 'gender']);
      for (const first of ['a', 'b', 'c']) expect(await byFirstName(`${tag}${first}`)).toEqual([]);
      expectValidation(await host.call('learner.import', 'not records'), ['body']);
    });

    it('applies the create rules across the file and the stored learners: a taken email, one email twice, backup = primary', async () => {
      const tag = `Dup${counter++}`;
      const taken = await host.call('learner.create', record(`${tag}x`));
      const twice = uniqueEmail();
      const result = await host.call('learner.import', [
        record(`${tag}a`),
        record(`${tag}b`, { email_address: String(data(taken).email_address).toUpperCase() }),
        record(`${tag}c`, { email_address: twice }),
        record(`${tag}d`, { email_address: twice }),
      ]);
      expectValidation(result, ['body', 1, 'email_address'], `Learner with the given email address ${data(taken).email_address} already exists`);
      expect(errorFor(result, ['body', 3, 'email_address'])!.msg).toMatch(/already exists \(record 2 of this file\)/);
      expect(await byFirstName(`${tag}a`)).toEqual([]);
      const email = uniqueEmail();
      expectValidation(
        await host.call('learner.import', [record(`${tag}e`, { email_address: email, backup_email_address: email })]),
        ['body', 0, 'backup_email_address'],
        'Primary email address and backup email address cannot be the same.',
      );
    });

    it('imports profiles by the create rules: a live, unarchived learner without one, achievements of the catalog', async () => {
      const learners = await Promise.all([0, 1, 2, 3, 4].map(async (i) => data((await host.call('learner.create', record(`P${counter++}n${i}`))))));
      const [free, archived, withProfile, second, third] = learners as Doc[];
      await host.call('learner.update', archived!.uuid, { is_archived: true });
      await host.call('learnerProfile.create', withProfile!.uuid, {});
      const achievement = await host.addAchievement({ type: 'competency', name: 'Teamwork' });

      const refused = await host.call('learnerProfile.import', [
        { learner_id: free!.uuid, learning_goals: ['Teamwork'], achievements: [achievement] },
        { learner_id: 'NoSuchLearner0000000' },
        { learner_id: archived!.uuid },
        { learner_id: withProfile!.uuid },
        { learner_id: second!.uuid, achievements: ['NoSuchAchievement00'] },
        { learner_id: free!.uuid },
        { personal_goals: 'no learner' },
      ]);
      expectValidation(refused, ['body', 1, 'learner_id'], 'Learner with uuid NoSuchLearner0000000 not found');
      expectValidation(refused, ['body', 2, 'learner_id'], `Learner Profile cannot be created for the Learner id: ${archived!.uuid} which is archived`);
      expectValidation(refused, ['body', 3, 'learner_id'], `Learner Profile with the given learner id: ${withProfile!.uuid} already exists`);
      expectValidation(refused, ['body', 6, 'learner_id'], 'field required');
      expect((await host.call('learnerProfile.getByLearner', free!.uuid)).status).toBe(404);

      const beforeRules = await host.call('learnerProfile.import', [
        { learner_id: second!.uuid, achievements: ['NoSuchAchievement00'] },
        { learner_id: third!.uuid },
        { learner_id: third!.uuid },
      ]);
      expectValidation(beforeRules, ['body', 2, 'learner_id']);

      const catalog = await host.call('learnerProfile.import', [{ learner_id: second!.uuid, achievements: ['NoSuchAchievement00'] }]);
      expectValidation(catalog, ['body', 0, 'achievements', 0], 'Achievement with uuid NoSuchAchievement00 not found');

      const imported = await host.call('learnerProfile.import', [
        { learner_id: free!.uuid, learning_goals: ['Teamwork'], achievements: [achievement] },
        { learner_id: second!.uuid, progress: { assessments: { a1: { name: 'Quiz' } } } },
      ]);
      expect(imported.status, JSON.stringify(imported.body)).toBe(200);
      expect(imported.body.message).toBe('Successfully created the learner profiles');
      expect(data<string[]>(imported)).toEqual([profileUuidFor(free!.uuid), profileUuidFor(second!.uuid)]);
      expect(data(await host.call('learnerProfile.getByLearner', free!.uuid))).toMatchObject({ learning_goals: ['Teamwork'], achievements: [achievement] });
      const progress = data<{ progress: { assessments: Record<string, unknown> } }>(await host.call('learnerProfile.getByLearner', second!.uuid));
      expect(progress.progress.assessments.a1).toMatchObject({ name: 'Quiz', status: 'not_attempted', is_locked: true });
    });
  });
}