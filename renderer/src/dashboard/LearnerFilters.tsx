// The learner list's filters that the dashboard links to, read from the list's address, and shown above the list as
// a row of filters, each with a button that takes it off (so a counselor always sees why the list is shorter).
import { LEARNER_FILTER_KEYS, learnerFilterShape, type LearnerFilter } from '../../../shared/dashboard';
import type { MessageId } from '../i18n/catalogs';
import { useT } from '../i18n/LanguageProvider';
import type { Translator } from '../i18n/translator';
import { careerLabel, employmentLabel, goalLabel, profileStateLabel, progressStageLabel, studyBinLabel } from '../i18n/value-labels';

const NAMES = {
  goal: 'dashboard.goal',
  employment: 'filters.employment',
  career: 'dashboard.field',
  study: 'filters.studyTime',
  progress: 'dashboard.stage',
  profile: 'dashboard.profile',
  center: 'learnerForm.center',
  from: 'dashboard.from',
  to: 'filters.until',
} satisfies Record<keyof LearnerFilter, MessageId>;

/** The filters in the address that are valid; a value the list does not know is left out, not an error. */
export function filtersOf(params: URLSearchParams): LearnerFilter {
  const filters: Record<string, unknown> = {};
  for (const key of LEARNER_FILTER_KEYS) {
    const value = params.get(key);
    if (value === null || value === '') continue;
    const parsed = learnerFilterShape[key].safeParse(value);
    if (parsed.success && parsed.data !== undefined) filters[key] = parsed.data;
  }
  return filters as LearnerFilter;
}

type Center = { id: string; name: string };

function valueText(translator: Translator, key: keyof LearnerFilter, filters: LearnerFilter, centers: readonly Center[]): string {
  switch (key) {
    case 'goal':
      return goalLabel(translator, filters.goal!);
    case 'career':
      return careerLabel(translator, filters.career!);
    case 'employment':
      return employmentLabel(translator, filters.employment!);
    case 'study':
      return studyBinLabel(translator, filters.study!);
    case 'progress':
      return progressStageLabel(translator, filters.progress!);
    case 'profile':
      return profileStateLabel(translator, filters.profile!);
    case 'center':
      return centers.find((center) => center.id === filters.center)?.name ?? filters.center!;
    case 'from':
    case 'to':
      return translator.calendarDay(filters[key]!);
  }
}

export function LearnerFilters({ filters, centers = [], onRemove }: { filters: LearnerFilter; centers?: readonly Center[]; onRemove(key: keyof LearnerFilter): void }) {
  const translator = useT();
  const { t } = translator;
  const keys = LEARNER_FILTER_KEYS.filter((key) => filters[key] !== undefined);
  if (keys.length === 0) return null;
  return (
    <ul className="tags list-filters" aria-label={t('filters.label')}>
      {keys.map((key) => {
        const text = t('filters.filter', { name: t(NAMES[key]), value: valueText(translator, key, filters, centers) });
        return (
          <li key={key} className="tag">
            {text}
            <button type="button" className="tag-remove" aria-label={t('filters.remove', { filter: text })} onClick={() => onRemove(key)}>
              ×
            </button>
          </li>
        );
      })}
    </ul>
  );
}
