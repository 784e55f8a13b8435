// What an ICU message is made of, read with FormatJS's own parser (the one react-intl formats with): its arguments
// (with the cases a select offers) and its literal text, in every branch of its plurals and selects.
import {
  isArgumentElement,
  isDateElement,
  isLiteralElement,
  isNumberElement,
  isPluralElement,
  isSelectElement,
  isTagElement,
  isTimeElement,
  parse,
  type MessageFormatElement,
} from '@formatjs/icu-messageformat-parser';

export interface MessageParts {
  /** Each argument's name; for a select, its cases (the values the code must pass), else null. */
  arguments: Map<string, string[] | null>;
  /** The literal runs of text, as a reader sees them around the arguments. */
  literals: string[];
}

export function messageParts(message: string): MessageParts {
  const parts: MessageParts = { arguments: new Map(), literals: [] };
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (isLiteralElement(element)) parts.literals.push(element.value);
      else if (isArgumentElement(element) || isNumberElement(element) || isDateElement(element) || isTimeElement(element)) {
        if (!parts.arguments.has(element.value)) parts.arguments.set(element.value, null);
      } else if (isSelectElement(element)) {
        parts.arguments.set(element.value, Object.keys(element.options).sort());
        for (const option of Object.values(element.options)) walk(option.value);
      } else if (isPluralElement(element)) {
        if (!parts.arguments.has(element.value)) parts.arguments.set(element.value, null);
        for (const option of Object.values(element.options)) walk(option.value);
      } else if (isTagElement(element)) {
        parts.arguments.set(`<${element.value}>`, null);
        walk(element.children);
      }
    }
  };
  walk(parse(message));
  return parts;
}
