import { z } from 'zod';

type Nullish<T extends z.ZodRawShape> = { [K in keyof T]: z.ZodOptional<z.ZodNullable<T[K]>> };

/** The same fields, each also accepting `null` or absence (partial updates, optional create fields). */
export function nullishShape<T extends z.ZodRawShape>(shape: T): Nullish<T> {
  return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, (schema as z.ZodType).nullish()])) as unknown as Nullish<T>;
}

/** Drops keys whose value is `null` or `undefined`: absent and null mean the same to the contract. */
export function withoutNullish<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}
