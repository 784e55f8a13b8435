// People's names (api.md "Names"): trimmed, never blank, and free of characters that make a name look like another
// one or hide text: bidirectional controls, zero-width and other invisible format characters, and noncharacters.
import { z } from 'zod';
import { messages } from '../messages';

const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

const isNoncharacter = (codePoint: number) => (codePoint >= 0xfdd0 && codePoint <= 0xfdef) || (codePoint & 0xfffe) === 0xfffe;

export function hasHiddenCharacters(text: string): boolean {
  if (INVISIBLE.test(text)) return true;
  for (const char of text) if (isNoncharacter(char.codePointAt(0)!)) return true;
  return false;
}

export const HIDDEN_CHARACTERS_MESSAGE =
  'must not contain invisible formatting characters (bidirectional controls, zero-width characters) or noncharacters';

const visible = (schema: z.ZodString) => schema.refine((text) => !hasHiddenCharacters(text), HIDDEN_CHARACTERS_MESSAGE);

/** A required name as a client sends it: trimmed, then 1..max characters. */
export const inputName = (max: number) => visible(z.string().trim().min(1).max(max));

/** An optional name as a client sends it: '' means none; white space alone is refused, as for a required name. */
export const inputOptionalName = (max: number) =>
  visible(
    z
      .string()
      .refine((text) => text === '' || text.trim() !== '', messages.fieldRequired)
      .trim()
      .max(max),
  );

const trimmed = (schema: z.ZodString) => schema.refine((text) => text === text.trim(), 'must not start or end with white space');

/** A name as stored: what `inputName` produces. */
export const storedName = (max: number) => visible(trimmed(z.string().min(1).max(max)));
export const storedOptionalName = (max: number) => visible(trimmed(z.string().max(max)));
