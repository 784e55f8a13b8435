// The JSON imports over REST, as the reference's clients send them: a multipart form whose `json_file` holds the
// records. A good file, a file with one bad record (nothing created), a 10 MB file, and the ways a file can be wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BASE, buildApp } from '../../server/app';
import { createToken } from '../../server/tokens';
import { backends } from '../support/backends';
import { httpHost } from '../support/hosts';
import examples from '../fixtures/reference/schema-examples.json' with { type: 'json' };

type Json = Record<string, any>;

let sequence = 0;
const learner = (extra: Json = {}): Json => ({
  ...examples.BASIC_LEARNER_EXAMPLE,
  email_address: `import.${Date.now().toString(36)}.${sequence++}@example.org`,
  backup_email_address: '',
  ...extra,
});

for (const backend of backends) {
  describe(`imports over REST on ${backend.name}`, () => {
    let host: Awaited<ReturnType<typeof httpHost>>;
    beforeAll(async () => {
      host = await httpHost(await backend.open());
    });
    afterAll(() => host?.close());

    const upload = async (path: string, form: FormData) => {
      const response = await fetch(`${host.baseUrl}${API_BASE}${path}`, { method: 'POST', headers: { authorization: `Bearer ${host.token}` }, body: form });
      return { status: response.status, json: (await response.json()) as Json };
    };
    const file = (content: string, field = 'json_file', filename = 'learners.json') => {
      const form = new FormData();
      form.append(field, new Blob([content], { type: 'application/json' }), filename);
      return form;
    };
    const count = async () => {
      const response = await fetch(`${host.baseUrl}${API_BASE}/learners?limit=1`, { headers: { authorization: `Bearer ${host.token}` } });
      return ((await response.json()) as Json).data.total_count as number;
    };

    it('imports a good file: 200, the new ids in order', async () => {
      const records = [learner({ first_name: 'Filed' }), learner({ first_name: 'Filed' })];
      const result = await upload('/learner/import/json', file(JSON.stringify(records)));
      expect(result.status).toBe(200);
      expect(result.json.success).toBe(true);
      expect(result.json.message).toBe('Successfully created the learners');
      expect(result.json.data).toHaveLength(2);
      const first = await host.call('learner.get', result.json.data[0]);
      expect(first.body.data).toMatchObject({ first_name: 'Filed', email_address: records[0]!.email_address });
    });

    it('creates nothing from a file with one bad record, and gives its index', async () => {
      const before = await count();
      const records = [learner(), learner(), learner({ birth_date: '2001-02-30' }), learner()];
      const result = await upload('/learner/import/json', file(JSON.stringify(records)));
      expect(result.status).toBe(422);
      expect(result.json.message).toBe('Validation Failed');
      expect(result.json.data.map((detail: Json) => detail.loc)).toEqual([['body', 2, 'birth_date']]);
      expect(await count()).toBe(before);
    });

    it('imports a 10 MB file whole', async () => {
      const before = await count();
      const records: Json[] = [];
      let size = 2;
      while (size < 10 * 1024 * 1024) {
        const record = learner({ first_name: 'Bulk', personal_information_verification: 'v'.repeat(200) });
        records.push(record);
        size += JSON.stringify(record).length + 1;
      }
      const content = JSON.stringify(records);
      expect(content.length).toBeGreaterThanOrEqual(10 * 1024 * 1024);
      const result = await upload('/learner/import/json', file(content));
      expect(result.status, JSON.stringify(result.json).slice(0, 500)).toBe(200);
      expect(result.json.data).toHaveLength(records.length);
      expect(new Set(result.json.data).size).toBe(records.length);
      expect(await count()).toBe(before + records.length);
    });

    it('refuses malformed JSON with the reference\'s message, and names the field', async () => {
      const result = await upload('/learner/import/json', file('[{"first_name": "Ada",'));
      expect(result.status).toBe(422);
      expect(result.json.success).toBe(false);
      expect(result.json.message).toBe('Provided JSON is invalid');
      expect(result.json.data[0].loc).toEqual(['body', 'json_file']);
    });

    it('answers "field required" for a file sent under another field name, or no file at all', async () => {
      const wrongField = await upload('/learner/import/json', file(JSON.stringify([learner()]), 'file'));
      expect(wrongField.status).toBe(422);
      expect(wrongField.json).toEqual({
        success: false,
        message: 'Validation Failed',
        data: [{ loc: ['body', 'json_file'], msg: 'field required', type: 'value_error.missing' }],
      });
      const asJson = await fetch(`${host.baseUrl}${API_BASE}/learner/import/json`, {
        method: 'POST',
        headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
        body: JSON.stringify([learner()]),
      });
      expect(asJson.status).toBe(422);
      expect(((await asJson.json()) as Json).data[0].loc).toEqual(['body', 'json_file']);
    });

    it('refuses a file not named .json, as the reference does', async () => {
      const result = await upload('/learner/import/json', file(JSON.stringify([learner()]), 'json_file', 'learners.csv'));
      expect(result.status).toBe(422);
      expect(result.json).toEqual({ success: false, message: 'Valid JSON file type is supported', data: null });
    });

    it('imports profiles and achievements the same way', async () => {
      const owner = await host.call('learner.create', learner());
      const uuid = (owner.body.data as Json).uuid;
      const profiles = await upload('/learner-profile/import/json', file(JSON.stringify([{ ...examples.BASIC_LEARNER_PROFILE_EXAMPLE, learner_id: uuid }]), 'json_file', 'profiles.json'));
      expect(profiles.status, JSON.stringify(profiles.json)).toBe(200);
      expect(profiles.json.message).toBe('Successfully created the learner profiles');
      const achievements = await upload('/achievement/import/json', file(JSON.stringify([examples.POST_ACHIEVEMENT_EXAMPLE]), 'json_file', 'achievements.json'));
      expect(achievements.status).toBe(200);
      expect(achievements.json.message).toBe('Successfully created the achievements');
    });

    it('answers a file over the size limit with 413 and its name', async () => {
      const app = await buildApp({ db: host.db, importFileLimit: 1024 });
      await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const address = app.server.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        const token = await createToken(host.db, `small-${Math.random().toString(36).slice(2)}`);
        await app.tokens.refresh();
        const response = await fetch(`http://127.0.0.1:${port}${API_BASE}/learner/import/json`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: file(JSON.stringify([learner(), learner()]), 'json_file', 'big.json'),
        });
        expect(response.status).toBe(413);
        expect(await response.json()).toEqual({ success: false, message: 'File size is too large: big.json', data: null });
      } finally {
        await app.close();
      }
    });
  });
}
