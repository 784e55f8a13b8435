// Results of the API as the screens need them: data, or an error in plain words (in the language on screen) with the
// fields it concerns. The API's own message stays available as it was sent, for code that recognises it.
import type { ErrorDetail, Result } from '../../../shared/result';
import { apiMessage, knownApiMessage } from '../i18n/api-messages';
import { activeTranslator } from '../i18n/translator';

export class ApiError extends Error {
  readonly status: number;
  readonly details: ErrorDetail[];
  /** The message as the API sent it (the contract's words). */
  readonly apiMessage: string;
  constructor(result: Result) {
    super(plainMessage(result));
    this.status = result.status;
    this.apiMessage = result.body.message;
    this.details = Array.isArray(result.body.data) ? (result.body.data as ErrorDetail[]) : [];
  }
  /** Field errors keyed by the field path under the body ("learning_constraints.weekly_study_time"). */
  fieldErrors(): Record<string, string> {
    const translator = activeTranslator();
    const errors: Record<string, string> = {};
    for (const detail of this.details) {
      const [where, ...path] = detail.loc;
      // Beside its field a message needs no word about where it came from.
      if (where === 'body' && path.length > 0) errors[path.join('.')] ??= knownApiMessage(translator, detail.msg) ?? detail.msg;
    }
    return errors;
  }
}

function plainMessage(result: Result): string {
  const translator = activeTranslator();
  if (result.status === 422 && result.body.message === 'Validation Failed') return translator.t('api.checkFields');
  if (result.status === 503) return translator.t('api.serviceUnreachable');
  if (result.status >= 500) return translator.t('api.serviceFailed');
  return apiMessage(translator, result.body.message);
}

/** The data of a successful result; throws an ApiError otherwise. */
export async function data<T>(call: Promise<Result>): Promise<T> {
  const result = await call;
  if (!result.body.success) throw new ApiError(result);
  return result.body.data as T;
}
