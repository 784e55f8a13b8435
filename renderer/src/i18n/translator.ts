// Words, numbers and dates for one language, over react-intl. A message missing from a catalog is reported (tests
// fail on it) and shown in English rather than as its id. Code outside React (error messages built when an answer
// arrives, the forms' validation messages) reads the translator of the language on screen.
import type { ReactNode } from 'react';
import { createIntl, createIntlCache, type IntlShape } from 'react-intl';
import type { Language } from '../../../shared/desktop';
import { parseDay, parseTime } from '../lib/format';
import { CATALOGS, ENGLISH, type MessageId } from './catalogs';

export type Values = Record<string, string | number | Date>;
export type RichValues = Record<string, ReactNode | ((chunks: ReactNode[]) => ReactNode)>;

export interface Translator {
  readonly language: Language;
  readonly intl: IntlShape;
  t(id: MessageId, values?: Values): string;
  /** A message with parts that are elements (`<code>{path}</code>`, a link). */
  rich(id: MessageId, values: RichValues): ReactNode;
  number(value: number): string;
  /** A stored time or an instant, as date and time of day. */
  when(time: string): string;
  /** A stored time or an instant, as its date. */
  day(time: string): string;
  /** A calendar day (YYYY-MM-DD, a birth date), the same day wherever the device is. */
  calendarDay(day: string): string;
  /** A calendar day in words ("May 1, 2010"): what a date field holds, whatever order the field shows it in. */
  longDay(day: string): string;
  /** An instant's time of day ("10:42"). */
  clock(time: string): string;
}

type ErrorListener = (error: Error) => void;
const listeners = new Set<ErrorListener>();

/** Hears every formatting problem (a missing message, a bad placeholder) until the returned function is called. */
export function onTranslationError(listener: ErrorListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function report(error: Error): void {
  if (listeners.size === 0) console.error(error.message);
  for (const listener of listeners) listener(error);
}

const cache = createIntlCache();

function createTranslator(language: Language): Translator {
  const intl = createIntl({ locale: language, defaultLocale: 'en', messages: CATALOGS[language], onError: report }, cache);
  const describe = (id: MessageId) => ({ id, defaultMessage: ENGLISH[id] });
  const orRaw = (date: Date | null, raw: string, format: (date: Date) => string) => (date ? format(date) : raw);
  return {
    language,
    intl,
    t: (id, values) => intl.formatMessage(describe(id), values) as string,
    rich: (id, values) => intl.formatMessage(describe(id), values as never) as ReactNode,
    number: (value) => intl.formatNumber(value),
    when: (time) => orRaw(parseTime(time), time, (date) => intl.formatDate(date, { dateStyle: 'medium', timeStyle: 'short' })),
    day: (time) => orRaw(parseTime(time), time, (date) => intl.formatDate(date, { dateStyle: 'medium' })),
    calendarDay: (day) => orRaw(parseDay(day), day, (date) => intl.formatDate(date, { dateStyle: 'medium', timeZone: 'UTC' })),
    longDay: (day) => orRaw(parseDay(day), day, (date) => intl.formatDate(date, { dateStyle: 'long', timeZone: 'UTC' })),
    clock: (time) => orRaw(parseTime(time), time, (date) => intl.formatTime(date, { hour: '2-digit', minute: '2-digit' })),
  };
}

const translators = new Map<Language, Translator>();

export function translatorFor(language: Language): Translator {
  let translator = translators.get(language);
  if (!translator) translators.set(language, (translator = createTranslator(language)));
  return translator;
}

let active: Translator = translatorFor('en');

/** The translator of the language on screen, for code that runs outside React. */
export const activeTranslator = (): Translator => active;

export function setActiveTranslator(translator: Translator): void {
  active = translator;
}
