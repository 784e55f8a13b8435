import { z } from 'zod';
import { ID_PATTERN } from '../ids';
import { messages } from '../messages';
import { TIME_PATTERN } from '../time';

export const id = z.string().regex(ID_PATTERN, 'must be 20 letters and digits');
export const time = z.string().regex(TIME_PATTERN, 'must be a UTC time like 2022-07-28 11:08:55.066059+00:00');

/** A free-form JSON object. */
export const jsonObject = z.record(z.string(), z.json());

/** Fields the contract keeps for compatibility but only allows empty. */
export const emptyObject = jsonObject.refine((value) => Object.keys(value).length === 0, messages.onlyEmptyObject);

/** An email as stored: valid and lower-cased. */
export const storedEmail = z
  .email()
  .min(7)
  .max(128)
  .refine((value) => value === value.toLowerCase(), 'must be lower-case');

/** An email as a client sends it: any case, stored lower-cased. */
export const inputEmail = z
  .email()
  .min(7)
  .max(128)
  .transform((value) => value.toLowerCase());

/** `null` or a missing key means "use the default". */
export const withDefault = <S extends z.ZodType>(schema: S, fallback: z.output<S>) =>
  schema.nullish().transform((value) => (value ?? fallback) as z.output<S>);

/** Query parameters arrive as strings over REST and as typed values over IPC: accept both. */
const fromQueryString = (value: unknown) => {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return value;
};
export const queryInt = (min: number, max: number, fallback: number) =>
  z.preprocess(fromQueryString, z.int().min(min).max(max).default(fallback));
export const queryBool = z.preprocess(fromQueryString, z.boolean().optional());

export const page = {
  skip: queryInt(0, 2000, 0),
  limit: queryInt(1, 100, 10),
};
