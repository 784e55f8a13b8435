// Validation messages for people, for every form in the screens, in the language on screen (the API's own messages
// stay as the contract says; i18n/api-messages.ts translates what the screens show of them).
import { z } from 'zod';
import { activeTranslator } from '../i18n/translator';

export function installFriendlyValidationMessages(): void {
  z.config({
    customError: (issue) => {
      const { t } = activeTranslator();
      if (issue.code === 'invalid_type' && issue.input === undefined) return t('validation.required');
      if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) return t('validation.required');
      if (issue.code === 'too_small' && issue.origin === 'string') return t('validation.minLength', { minimum: Number(issue.minimum) });
      if (issue.code === 'too_big' && issue.origin === 'string') return t('validation.maxLength', { maximum: Number(issue.maximum) });
      if (issue.code === 'too_big' && issue.origin === 'array') return t('validation.maxChoices', { maximum: Number(issue.maximum) });
      if (issue.code === 'too_big' && issue.origin === 'number') return t('validation.maxNumber', { maximum: Number(issue.maximum) });
      if (issue.code === 'too_small' && issue.origin === 'number') return t('validation.minNumber', { minimum: Number(issue.minimum) });
      if (issue.code === 'invalid_type' && issue.expected === 'int') return t('validation.wholeNumber');
      if (issue.code === 'invalid_type' && issue.expected === 'number') return t('validation.number');
      if (issue.code === 'invalid_format' && issue.format === 'email') return t('validation.email');
      if (issue.code === 'invalid_format' && issue.format === 'date') return t('validation.date');
      if (issue.code === 'invalid_format' && issue.format === 'url') return t('validation.url');
      return undefined;
    },
  });
}
