/**
 * The storage's named errors. They cross the worker boundary by name (see
 * worker-client.ts), so callers can tell them apart with instanceof or by name.
 * Messages never carry document contents or key material.
 */

/** The file was encrypted with another key: nothing was read or written. */
export class WrongKeyError extends Error {
  override readonly name = 'WrongKeyError';
}

/** The file is encrypted and no encryptionKey was given. */
export class MissingKeyError extends Error {
  override readonly name = 'MissingKeyError';
}

/** The storage worker stopped (crashed, was terminated, or ran out of memory); its open instances are unusable. */
export class StorageWorkerError extends Error {
  override readonly name = 'StorageWorkerError';
}

/** A schema indexes a field that is not in the storage's indexableFields: index keys are stored in plain text. */
export class UnsafeIndexError extends Error {
  override readonly name = 'UnsafeIndexError';
}

const NAMED = { WrongKeyError, MissingKeyError, StorageWorkerError, UnsafeIndexError } as const;

/** Rebuilds an error from what crossed the thread boundary, keeping its name and message (and nothing else). */
export function errorFromWire(wire: { name: string; message: string }): Error {
  const Named = NAMED[wire.name as keyof typeof NAMED];
  if (Named) return new Named(wire.message);
  const error = new Error(wire.message);
  if (wire.name && wire.name !== 'Error') error.name = wire.name;
  return error;
}

export function errorToWire(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
