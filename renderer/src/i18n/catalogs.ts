// The screens' messages, one catalog per language: an id and its ICU message. English is the source; every other
// catalog has exactly its ids (test/renderer/catalogs.test.ts).
import type { Language } from '../../../shared/desktop';
import en from './en.json';
import es from './es.json';

export type MessageId = keyof typeof en;
export type Catalog = Record<MessageId, string>;

export const CATALOGS: Record<Language, Partial<Catalog>> = { en, es };
export const ENGLISH: Catalog = en;
