// Which center a new learner joins (../../spec/trust.md "Centers and tokens"): the one the caller names, if it is
// one of the caller's; otherwise the caller's only center; a caller of several centers must name one.
import { messages } from '../messages';
import type { Scope } from '../repository';
import { invalid, type ErrorDetail, type Result } from '../result';

export type CenterChoice = { ok: true; center: string | undefined } | { ok: false; result: Result };

export function centerDetail(scope: Scope | undefined, requested: string | undefined, loc: (string | number)[]): ErrorDetail | string | undefined {
  if (!scope) return requested;
  if (requested !== undefined) {
    return scope.centers.includes(requested) ? requested : { loc, msg: 'must be one of the centers this token may write to', type: 'value_error.center' };
  }
  if (scope.centers.length === 1) return scope.centers[0];
  return { loc, msg: messages.fieldRequired, type: 'value_error.missing' };
}

export function chooseCenter(scope: Scope | undefined, requested: string | undefined): CenterChoice {
  const found = centerDetail(scope, requested, ['body', 'center_id']);
  return typeof found === 'object' ? { ok: false, result: invalid([found]) } : { ok: true, center: found };
}

/** Authoring the catalog and moving learners between centers: administrators only (where the host knows). */
export const mayAdminister = (scope: Scope | undefined) => !scope || scope.admin;
