// The screens' message catalogs: every language has exactly English's ids, every message is valid ICU, and a
// translation takes the same arguments (and offers the same cases of each select) as the English it translates.
// The picker values of the education-fields list all have their words, and the English words of the dashboard's
// categories are the ones its exported files use.
import { describe, expect, it } from 'vitest';
import { EMPLOYMENT_KEYS, PROFILE_STATES, PROGRESS_STAGES, STUDY_BINS } from '../../shared/dashboard';
import { LANGUAGES } from '../../shared/desktop';
import { EMPLOYMENT_LABELS, FIGURE_TITLES, OTHER_VALUES_LABEL, PROFILE_STATE_LABELS, PROGRESS_STAGE_LABELS, STUDY_BIN_LABELS, UNKNOWN_CENTER_NAME } from '../../shared/report-labels';
import { CATALOGS, ENGLISH, type MessageId } from '../../renderer/src/i18n/catalogs';
import { onTranslationError, translatorFor } from '../../renderer/src/i18n/translator';
import { CAREER_LABELS, employmentLabel, GOAL_LABELS, profileStateLabel, progressStageLabel, studyBinLabel } from '../../renderer/src/i18n/value-labels';
import fields from '../../renderer/src/data/education-fields.json' with { type: 'json' };
import { messageParts } from '../support/icu';

const ids = Object.keys(ENGLISH).sort();
const others = LANGUAGES.filter((language) => language !== 'en');

/** Messages that read the same in every language: a symbol, units, or only arguments and punctuation. */
const SAME_EVERYWHERE = new Set<MessageId>(['common.none', 'studyBin.zero', 'studyBin.range', 'profile.hoursShort']);
const hasWords = (message: string) => messageParts(message).literals.some((text) => /\p{L}{2,}/u.test(text));

describe('message catalogs', () => {
  it('parse as ICU messages, in every language', () => {
    for (const language of LANGUAGES) {
      const catalog = CATALOGS[language] as Record<string, string>;
      for (const [id, message] of Object.entries(catalog)) {
        expect(() => messageParts(message), `${language} ${id}`).not.toThrow();
      }
    }
  });

  for (const language of others) {
    describe(language, () => {
      const catalog = CATALOGS[language] as Record<string, string>;

      it('has exactly the English ids', () => {
        expect(Object.keys(catalog).sort()).toEqual(ids);
      });

      it('uses the same arguments as English, and the same cases in each select', () => {
        for (const id of ids) {
          const english = messageParts(ENGLISH[id as MessageId]).arguments;
          const translated = messageParts(catalog[id] ?? '').arguments;
          expect(Object.fromEntries(translated), id).toEqual(Object.fromEntries(english));
        }
      });

      it('translates every message that has words in it', () => {
        const untranslated = ids.filter((id) => {
          const message = ENGLISH[id as MessageId];
          return catalog[id] === message && hasWords(message) && !SAME_EVERYWHERE.has(id as MessageId);
        });
        expect(untranslated).toEqual([]);
      });

      it('formats every message with arguments of the right kind, reporting nothing', () => {
        const translator = translatorFor(language);
        const problems: string[] = [];
        const stop = onTranslationError((error) => problems.push(error.message));
        for (const id of ids) {
          const values = Object.fromEntries(
            [...messageParts(ENGLISH[id as MessageId]).arguments].map(([name, cases]) => [name, cases ? (cases.find((c) => c !== 'other') ?? 'other') : 2]),
          );
          expect(translator.t(id as MessageId, values), id).not.toBe('');
        }
        stop();
        expect(problems).toEqual([]);
      });
    });
  }

  it('word every picker value of the education-fields list, and no value it does not have', () => {
    expect(Object.keys(GOAL_LABELS).sort()).toEqual([...fields.education_goals].sort());
    expect(Object.keys(CAREER_LABELS).sort()).toEqual(fields.potential_career_fields.map((field) => field.field_name).sort());
    const english = translatorFor('en');
    for (const [goal, id] of Object.entries(GOAL_LABELS)) expect(english.t(id)).toBe(goal);
    for (const field of fields.potential_career_fields) {
      const label = CAREER_LABELS[field.field_name]!;
      expect(english.t(label.name)).toBe(field.field_name);
      expect(label.examples === null ? '' : english.t(label.examples)).toBe(field.examples);
    }
  });

  it('name the dashboard’s figures and categories in English as its exported files do', () => {
    const english = translatorFor('en');
    for (const key of EMPLOYMENT_KEYS) expect(employmentLabel(english, key)).toBe(EMPLOYMENT_LABELS[key]);
    for (const state of PROFILE_STATES) expect(profileStateLabel(english, state)).toBe(PROFILE_STATE_LABELS[state]);
    for (const stage of PROGRESS_STAGES) expect(progressStageLabel(english, stage)).toBe(PROGRESS_STAGE_LABELS[stage]);
    for (const { id } of STUDY_BINS) expect(studyBinLabel(english, id)).toBe(STUDY_BIN_LABELS[id]);
    expect(english.t('dashboard.otherValues', { count: 1234 })).toBe(OTHER_VALUES_LABEL(1234));
    expect(english.t('center.unknown')).toBe(UNKNOWN_CENTER_NAME);
    expect([english.t('figure.goals'), english.t('figure.studyTime'), english.t('figure.employment'), english.t('figure.careers'), english.t('figure.progress'), english.t('figure.profiles')]).toEqual([
      FIGURE_TITLES.goals,
      FIGURE_TITLES.study_time,
      FIGURE_TITLES.employment,
      FIGURE_TITLES.careers,
      FIGURE_TITLES.progress,
      FIGURE_TITLES.profiles,
    ]);
  });
});
