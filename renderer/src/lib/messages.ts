// Validation messages for people, for every form in the screens (the API's own messages stay as the contract says).
import { z } from 'zod';

export function installFriendlyValidationMessages(): void {
  z.config({
    customError: (issue) => {
      if (issue.code === 'invalid_type' && issue.input === undefined) return 'This field is required';
      if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) return 'This field is required';
      if (issue.code === 'too_small' && issue.origin === 'string') return `Use at least ${issue.minimum} characters`;
      if (issue.code === 'too_big' && issue.origin === 'string') return `Use at most ${issue.maximum} characters`;
      if (issue.code === 'too_big' && issue.origin === 'array') return `Choose at most ${issue.maximum}`;
      if (issue.code === 'too_big' && issue.origin === 'number') return `Enter a number from 0 to ${issue.maximum}`;
      if (issue.code === 'too_small' && issue.origin === 'number') return `Enter a number of at least ${issue.minimum}`;
      if (issue.code === 'invalid_type' && issue.expected === 'int') return 'Enter a whole number';
      if (issue.code === 'invalid_type' && issue.expected === 'number') return 'Enter a number';
      if (issue.code === 'invalid_format' && issue.format === 'email') return 'Enter an email address like name@example.org';
      if (issue.code === 'invalid_format' && issue.format === 'date') return 'Enter a real date';
      if (issue.code === 'invalid_format' && issue.format === 'url') return 'Enter a web address starting with https://';
      return undefined;
    },
  });
}
