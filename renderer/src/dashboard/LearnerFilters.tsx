// The learner list's filters that the dashboard links to, read from the list's address, and shown above the list as
// a row of filters, each with a button that takes it off (so a counselor always sees why the list is shorter).
import { LEARNER_FILTER_KEYS, learnerFilterShape, type LearnerFilter } from '../../../shared/dashboard';
import { EMPLOYMENT_LABELS, PROFILE_STATE_LABELS, PROGRESS_STAGE_LABELS, STUDY_BIN_LABELS } from '../../../shared/report-labels';

const TEXT = {
  label: 'Filters from the dashboard',
  remove: (text: string) => `Remove the filter ${text}`,
  names: {
    goal: 'Goal',
    employment: 'Employment',
    career: 'Career field',
    study: 'Study time',
    progress: 'Progress',
    profile: 'Profile',
    center: 'Center',
    from: 'Registered from',
    to: 'Registered until',
  } satisfies Record<keyof LearnerFilter, string>,
};

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

function valueText(key: keyof LearnerFilter, filters: LearnerFilter): string {
  switch (key) {
    case 'employment':
      return EMPLOYMENT_LABELS[filters.employment!];
    case 'study':
      return STUDY_BIN_LABELS[filters.study!];
    case 'progress':
      return PROGRESS_STAGE_LABELS[filters.progress!];
    case 'profile':
      return PROFILE_STATE_LABELS[filters.profile!];
    default:
      return String(filters[key]);
  }
}

export function LearnerFilters({ filters, onRemove }: { filters: LearnerFilter; onRemove(key: keyof LearnerFilter): void }) {
  const keys = LEARNER_FILTER_KEYS.filter((key) => filters[key] !== undefined);
  if (keys.length === 0) return null;
  return (
    <ul className="tags list-filters" aria-label={TEXT.label}>
      {keys.map((key) => {
        const text = `${TEXT.names[key]}: ${valueText(key, filters)}`;
        return (
          <li key={key} className="tag">
            {text}
            <button type="button" className="tag-remove" aria-label={TEXT.remove(text)} onClick={() => onRemove(key)}>
              ×
            </button>
          </li>
        );
      })}
    </ul>
  );
}
