// The first kiosk screen: the language, then two big, plain choices. The language picked here holds for this visit
// only (KioskApp forgets it when the session ends); each language is named in its own words.
import { Link } from 'react-router';
import { LANGUAGES } from '../../../shared/desktop';
import { useChooseSessionLanguage, useT } from '../i18n/LanguageProvider';
import { LANGUAGE_NAMES } from '../i18n/languages';

export function WelcomePage() {
  const { t, language } = useT();
  const choose = useChooseSessionLanguage();
  return (
    <section className="page kiosk-welcome" aria-labelledby="welcome-title">
      <div className="kiosk-languages" role="group" aria-label={t('kiosk.language')}>
        {LANGUAGES.map((option) => (
          <button key={option} type="button" lang={option} aria-pressed={language === option} onClick={() => choose(option)}>
            {LANGUAGE_NAMES[option]}
          </button>
        ))}
      </div>
      <h1 id="welcome-title">{t('kiosk.welcome')}</h1>
      <p className="lead">{t('kiosk.whatToDo')}</p>
      <div className="kiosk-choices">
        <Link to="/register" className="button kiosk-choice">
          <span className="kiosk-choice-title">{t('kiosk.register')}</span>
          <span className="kiosk-choice-hint">{t('kiosk.registerHint')}</span>
        </Link>
        <Link to="/find" className="button kiosk-choice">
          <span className="kiosk-choice-title">{t('kiosk.update')}</span>
          <span className="kiosk-choice-hint">{t('kiosk.updateHint')}</span>
        </Link>
      </div>
    </section>
  );
}
