// Every operation on every transport answers `{ status, body }` with the contract's envelope.

export type Location = 'body' | 'query' | 'path';

export interface ErrorDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export interface Envelope<T = unknown> {
  success: boolean;
  message: string;
  data?: T | null;
}

export interface Result<T = unknown> {
  status: number;
  body: Envelope<T>;
}

export const ok = <T>(message: string, data: T): Result<T> => ({ status: 200, body: { success: true, message, data } });

/** Deletes answer without a `data` key. */
export const done = (message: string): Result<never> => ({ status: 200, body: { success: true, message } });

export const fail = (status: number, message: string): Result<never> => ({
  status,
  body: { success: false, message, data: null },
});

export const VALIDATION_FAILED = 'Validation Failed';

export const invalid = (details: ErrorDetail[]): Result<ErrorDetail[]> => ({
  status: 422,
  body: { success: false, message: VALIDATION_FAILED, data: details },
});

export const internalError = (): Result<never> => fail(500, 'Internal Server Error');
