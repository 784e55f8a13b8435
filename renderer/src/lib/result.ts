// Results of the API as the screens need them: data, or an error in plain words with the fields it concerns.
import type { ErrorDetail, Result } from '../../../shared/result';

export class ApiError extends Error {
  readonly status: number;
  readonly details: ErrorDetail[];
  constructor(result: Result) {
    super(plainMessage(result));
    this.status = result.status;
    this.details = Array.isArray(result.body.data) ? (result.body.data as ErrorDetail[]) : [];
  }
  /** Field errors keyed by the field path under the body ("learning_constraints.weekly_study_time"). */
  fieldErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const detail of this.details) {
      const [where, ...path] = detail.loc;
      if (where === 'body' && path.length > 0) errors[path.join('.')] ??= detail.msg;
    }
    return errors;
  }
}

function plainMessage(result: Result): string {
  if (result.status === 422 && result.body.message === 'Validation Failed') return 'Some fields need attention.';
  if (result.status === 503) return 'The app service is not reachable. Your changes were not saved; try again.';
  if (result.status >= 500) return 'Something went wrong on our side. Nothing was changed; try again.';
  return result.body.message;
}

/** The data of a successful result; throws an ApiError otherwise. */
export async function data<T>(call: Promise<Result>): Promise<T> {
  const result = await call;
  if (!result.body.success) throw new ApiError(result);
  return result.body.data as T;
}
