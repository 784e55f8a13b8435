// What the reference service's route tests need to run against our server: an HTTP client speaking as theirs does
// (paths under the API base, query parameters as Python's requests encodes them, JSON bodies, multipart files), a
// fresh store before each test (their `clean_firestore`), and the stored documents to look at, as they look at
// Firestore.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import examples from '../fixtures/reference/schema-examples.json' with { type: 'json' };
import { API_BASE } from '../../server/app';
import type { Backend } from '../support/backends';
import { httpHost } from '../support/hosts';

export type Json = Record<string, any>;

export interface ReferenceResponse {
  status: number;
  json: Json;
}

/** A deep copy of one of the reference's `schema_examples.py` bodies (their tests mutate them freely). */
export const example = <K extends Exclude<keyof typeof examples, 'about'>>(name: K): Json => structuredClone(examples[name]) as Json;

/** As Python's requests writes query parameters: booleans as True/False, everything as text. */
const queryString = (params: Json = {}) => {
  const entries = Object.entries(params).map(([key, value]) => [key, typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value)]);
  return entries.length ? `?${new URLSearchParams(entries)}` : '';
};

export interface ReferenceClient {
  get(path: string, params?: Json): Promise<ReferenceResponse>;
  post(path: string, body: unknown): Promise<ReferenceResponse>;
  put(path: string, body: unknown): Promise<ReferenceResponse>;
  delete(path: string): Promise<ReferenceResponse>;
  postFile(path: string, field: string, filename: string, content: string): Promise<ReferenceResponse>;
  /** The stored document, internal fields included (what their tests read back from Firestore). */
  stored(table: 'learners' | 'learner_profiles' | 'achievements', uuid: string): Promise<Json | undefined>;
}

/** Registers the hooks of one suite on one backend and hands back its client. */
export function useReferenceServer(backend: Backend): ReferenceClient {
  let host: Awaited<ReturnType<typeof httpHost>>;
  beforeAll(async () => {
    host = await httpHost(await backend.open());
  });
  afterAll(() => host?.close());
  beforeEach(async () => {
    await host.db.exec('TRUNCATE learners, learner_profiles, achievements');
  });

  const request = async (method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}): Promise<ReferenceResponse> => {
    const response = await fetch(`${host.baseUrl}${API_BASE}${path}`, {
      method,
      headers: { authorization: `Bearer ${host.token}`, ...headers },
      body,
    });
    return { status: response.status, json: (await response.json()) as Json };
  };
  const json = { 'content-type': 'application/json' };
  return {
    get: (path, params) => request('GET', path + queryString(params)),
    post: (path, body) => request('POST', path, JSON.stringify(body), json),
    put: (path, body) => request('PUT', path, JSON.stringify(body), json),
    delete: (path) => request('DELETE', path),
    postFile(path, field, filename, content) {
      const form = new FormData();
      form.append(field, new Blob([content], { type: 'application/json' }), filename);
      return request('POST', path, form);
    },
    async stored(table, uuid) {
      const [row] = await host.db.query<{ doc: Json }>(`SELECT doc FROM ${table} WHERE uuid = $1`, [uuid]);
      return row?.doc;
    },
  };
}

/** Their assertions compare answers without the two times. */
export function withoutTimes(data: Json): Json {
  const { created_time: _c, last_modified_time: _m, ...rest } = data;
  return rest;
}
