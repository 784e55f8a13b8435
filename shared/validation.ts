import type { z } from 'zod';
import { messages } from './messages';
import { invalid, type ErrorDetail, type Location, type Result } from './result';

/** The contract's 422 details (`loc` / `msg` / `type`) for zod's issues, in the reference service's vocabulary. */
export function toErrorDetails(issues: readonly z.core.$ZodIssue[], location: Location): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    const loc = [location, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    // With `reportInput`, zod leaves `input` out exactly when the value was missing: whatever the field's type
    // (an enum, a union), the reference's word for that is "field required".
    const missing = !('input' in issue) || issue.input === undefined;
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) details.push({ loc: [...loc, key], msg: messages.extraField, type: 'value_error.extra' });
        break;
      case 'invalid_type':
      case 'invalid_value':
      case 'invalid_union':
        if (missing) details.push({ loc, msg: messages.fieldRequired, type: 'value_error.missing' });
        else if (issue.code === 'invalid_type') details.push({ loc, msg: issue.message, type: `type_error.${issue.expected}` });
        else if (issue.code === 'invalid_value') details.push({ loc, msg: issue.message, type: 'type_error.enum' });
        else details.push({ loc, msg: issue.message, type: 'value_error.union' });
        break;
      case 'too_big':
      case 'too_small':
        // An empty text (a blank name, once trimmed) is a missing one, in the reference's words.
        if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) {
          details.push({ loc, msg: messages.fieldRequired, type: 'value_error.missing' });
        } else details.push({ loc, msg: issue.message, type: `value_error.${issue.origin}.${issue.code}` });
        break;
      case 'invalid_format':
        details.push({ loc, msg: issue.message, type: `value_error.${issue.format}` });
        break;
      default:
        details.push({ loc, msg: issue.message, type: `value_error.${issue.code}` });
    }
  }
  return details;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; result: Result };

/**
 * The path of the first string (or key) that no store can keep: NUL characters and unpaired surrogates are
 * refused by PostgreSQL's text and jsonb, so they are refused here, on every host alike.
 */
export function findUnstorableText(value: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  const unstorable = (text: string) => text.includes('\0') || !text.isWellFormed();
  if (typeof value === 'string') return unstorable(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableText(item, [...path, index]);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (unstorable(key)) return [...path, key];
      const found = findUnstorableText(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** Parses an operation's input; a failure is the contract's 422 `Validation Failed`. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, location: Location): Parsed<z.output<S>> {
  const badText = findUnstorableText(input);
  if (badText) {
    const msg = 'text must not contain NUL characters or unpaired surrogates';
    return { ok: false, result: invalid([{ loc: [location, ...badText], msg, type: 'value_error.text' }]) };
  }
  const parsed = schema.safeParse(input, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, result: invalid(toErrorDetails(parsed.error.issues, location)) };
}
