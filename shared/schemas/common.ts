import { z } from 'zod';
import { ID_PATTERN } from '../ids';
import { messages } from '../messages';
import { TIME_PATTERN } from '../time';

export const id = z.string().regex(ID_PATTERN, 'must be 20 letters and digits');
export const time = z.string().regex(TIME_PATTERN, 'must be a UTC time like 2022-07-28 11:08:55.066059+00:00');

/** The name of the API token that wrote a record's current version (set by the server, never trusted from a client). */
export const modifiedBy = z.string().max(64).optional();

/** A free-form JSON object. */
export const jsonObject = z.record(z.string(), z.json());

/** Fields the contract keeps for compatibility but only allows empty. */
export const emptyObject = jsonObject.refine((value) => Object.keys(value).length === 0, messages.onlyEmptyObject);

/**
 * The reference service's email pattern, matched whole (as its search does): a client's valid addresses are ours,
 * and its search and its create agree on what an address is.
 */
export const EMAIL_PATTERN = /^\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Z|a-z]{2,}\b$/;
const emailText = z.email({ pattern: EMAIL_PATTERN }).min(7).max(128);

/** An email as stored: valid and lower-cased. */
export const storedEmail = emailText.refine((value) => value === value.toLowerCase(), 'must be lower-case');

/** An email as a client sends it: any case, stored lower-cased. */
export const inputEmail = emailText.transform((value) => value.toLowerCase());

/** Optional email fields: an address, or '' for none. */
export const storedEmailOrBlank = z.union([z.literal(''), storedEmail]);
export const inputEmailOrBlank = z.union([z.literal(''), inputEmail]);

/** `null` or a missing key means "use the default". */
export const withDefault = <S extends z.ZodType>(schema: S, fallback: z.output<S>) =>
  schema.nullish().transform((value) => (value ?? fallback) as z.output<S>);

/**
 * Query booleans as the reference's framework (pydantic 1) reads them: true/false, 1/0, yes/no, on/off, t/f, y/n,
 * in any case. Over IPC they may also arrive as real booleans.
 */
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', 'f', 'n']);
const fromQueryBool = (value: unknown) => {
  if (typeof value !== 'string') return value;
  const word = value.toLowerCase();
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : value;
};

/** Query integers arrive as strings over REST and as numbers over IPC: accept both. */
const fromQueryInt = (value: unknown) => {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  return /^[-+]?\d+$/.test(text) ? Number(text) : value;
};

export const queryInt = (min: number, max: number, fallback: number) =>
  z.preprocess(fromQueryInt, z.int().min(min).max(max).default(fallback));
export const queryBool = z.preprocess(
  fromQueryBool,
  z.boolean('must be a boolean: true/false, 1/0, yes/no, on/off').optional(),
);

export const page = {
  skip: queryInt(0, 2000, 0),
  limit: queryInt(1, 100, 10),
};
