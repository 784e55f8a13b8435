// The languages the screens speak, each named in its own words (a picker must be readable by whoever needs it), and
// the one to start in where nobody has chosen: the system's (Electron) or the browser's (the preview), else English.
import { LANGUAGES, type Language } from '../../../shared/desktop';

export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español' };

export function systemLanguage(tags: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language]): Language {
  for (const tag of tags) {
    const base = tag.toLowerCase().split('-')[0];
    const known = LANGUAGES.find((language) => language === base);
    if (known) return known;
  }
  return 'en';
}
