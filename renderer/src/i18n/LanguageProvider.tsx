// The language of the screens: the device's (Settings), or for one kiosk session the learner's own choice, which is
// renderer state only (a kiosk may not change the device's settings) and goes when the session ends. The page's
// `lang` and title follow, so that screen readers and spell checkers use the right language.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { RawIntlProvider } from 'react-intl';
import type { Language } from '../../../shared/desktop';
import { setActiveTranslator, translatorFor, type Translator } from './translator';

/** English without a provider: components rendered on their own (in tests) speak the default language. */
const TranslatorContext = createContext<Translator>(translatorFor('en'));
const ChooseContext = createContext<(language: Language | null) => void>(() => {});

export function LanguageProvider({ device, children }: { device: Language; children: ReactNode }) {
  const [chosen, choose] = useState<Language | null>(null);
  const translator = translatorFor(chosen ?? device);
  // Set while rendering: what the children start (a save, a validation) must already speak this language.
  setActiveTranslator(translator);
  useEffect(() => {
    document.documentElement.lang = translator.language;
    document.title = translator.t('app.name');
  }, [translator]);
  return (
    <TranslatorContext.Provider value={translator}>
      <RawIntlProvider value={translator.intl}>
        <ChooseContext.Provider value={choose}>{children}</ChooseContext.Provider>
      </RawIntlProvider>
    </TranslatorContext.Provider>
  );
}

export const useT = (): Translator => useContext(TranslatorContext);

/** Chooses the language for this session only (a kiosk's learner); null goes back to the device's. */
export const useChooseSessionLanguage = () => useContext(ChooseContext);
