// The counselor's first screen: the center at a glance. Totals, then each figure as a chart and a table, every number
// a link to the learners it counts; filtered by center (on a device with several), registration days and archive
// state, the filters kept in the address so a reload or a link keeps them. The figures come from the main process.
import { Link, useSearchParams } from 'react-router';
import { LEARNER_STATUSES, type DashboardFigures, type DashboardQuery, type LearnerStatus } from '../../../shared/dashboard';
import {
  COMPLETE_PROFILE_TEXT,
  EMPLOYMENT_LABELS,
  FIGURE_TITLES,
  OTHER_VALUES_LABEL,
  PROFILE_STATE_LABELS,
  PROGRESS_STAGE_LABELS,
  STATUS_LABELS,
  STUDY_BIN_LABELS,
  UNKNOWN_CENTER_NAME,
} from '../../../shared/report-labels';
import { api } from '../api';
import { useSettings } from '../lib/queries';
import { ReportExport } from '../reports/ReportExport';
import { FigureCard, type FigureRow } from './FigureCard';
import { baseFilter, laterDay, listLink, type ListFilter } from './links';
import { useDashboard } from './useDashboard';

const TEXT = {
  title: 'Dashboard',
  filters: 'Filters',
  center: 'Center',
  allCenters: 'All centers',
  from: 'Registered from',
  to: 'to',
  status: 'Learners',
  clear: 'Clear filters',
  loading: 'Counting…',
  backwards: 'The period ends before it starts: no learner is counted.',
  tiles: 'Learners at a glance',
  active: 'Active learners',
  archived: 'Archived learners',
  newThisMonth: 'New this month',
  scope: (learners: number, status: LearnerStatus, withProfile: number) =>
    `${learners.toLocaleString()} ${status === 'all' ? '' : `${STATUS_LABELS[status].toLowerCase()} `}${learners === 1 ? 'learner' : 'learners'}, ${withProfile.toLocaleString()} with a profile.`,
  overProfiles: (n: number) => `Of ${n.toLocaleString()} learners with a profile.`,
  goalsCaption: (n: number) => `Of ${n.toLocaleString()} learners with a profile; a learner may have several goals.`,
  careersCaption: (n: number) => `Of ${n.toLocaleString()} learners with a profile; a learner may name up to three fields.`,
  studyCaption: (n: number) => `Hours a week, of ${n.toLocaleString()} learners with a profile.`,
  progressCaption: (n: number) =>
    `Of ${n.toLocaleString()} learners with a profile, over every entry of their progress: completed when every entry is finished (completed, evaluated, not evaluated or skipped), not started when none was attempted.`,
  goal: 'Goal',
  field: 'Career field',
  hours: 'Hours a week',
  employmentHeading: 'Status',
  stage: 'Progress',
  profile: 'Profile',
  exportWhat: 'tables',
};

function queryOf(params: URLSearchParams): DashboardQuery {
  const status = params.get('status');
  return {
    center: params.get('center') || undefined,
    from: params.get('from') || undefined,
    to: params.get('to') || undefined,
    status: LEARNER_STATUSES.includes(status as LearnerStatus) ? (status as LearnerStatus) : 'active',
  };
}

function Tiles({ figures, query }: { figures: DashboardFigures; query: DashboardQuery }) {
  const base = baseFilter(query);
  const tiles: { key: string; label: string; count: number; to: string }[] = [
    { key: 'active', label: TEXT.active, count: figures.totals.active, to: listLink({ ...base, show: 'active' }) },
    { key: 'archived', label: TEXT.archived, count: figures.totals.archived, to: listLink({ ...base, show: 'archived' }) },
    {
      key: 'new',
      label: TEXT.newThisMonth,
      count: figures.totals.new_this_month,
      to: listLink({ ...base, show: 'all', from: laterDay(query.from, figures.month_start) }),
    },
  ];
  return (
    <ul className="tiles" aria-label={TEXT.tiles}>
      {tiles.map((tile) => (
        <li key={tile.key}>
          <Link to={tile.to} className="tile">
            <span className="tile-number">{tile.count.toLocaleString()}</span>
            <span className="tile-label">{tile.label}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function Figures({ figures, query }: { figures: DashboardFigures; query: DashboardQuery }) {
  const base = baseFilter(query);
  const link = (filter: ListFilter) => listLink({ ...base, ...filter });
  const withOthers = (values: DashboardFigures['goals'], filter: (key: string) => ListFilter): FigureRow[] => [
    ...values.top.map(({ key, count }) => ({ key, label: key, count, to: link(filter(key)) })),
    ...(values.other_values > 0 ? [{ key: '__other', label: OTHER_VALUES_LABEL(values.other_values), count: values.other_learners }] : []),
  ];
  const n = figures.with_profile;
  return (
    <div className="figures">
      <FigureCard
        id="goals"
        title={FIGURE_TITLES.goals}
        caption={TEXT.goalsCaption(n)}
        categoryHeading={TEXT.goal}
        shape="bars"
        rows={withOthers(figures.goals, (goal) => ({ goal }))}
      />
      <FigureCard
        id="study"
        title={FIGURE_TITLES.study_time}
        caption={TEXT.studyCaption(n)}
        categoryHeading={TEXT.hours}
        shape="columns"
        rows={figures.study_time.map(({ key, count }) => ({ key, label: STUDY_BIN_LABELS[key], count, to: link({ study: key }) }))}
      />
      <FigureCard
        id="employment"
        title={FIGURE_TITLES.employment}
        caption={TEXT.overProfiles(n)}
        categoryHeading={TEXT.employmentHeading}
        shape="bars"
        rows={figures.employment.map(({ key, count }) => ({ key, label: EMPLOYMENT_LABELS[key], count, to: link({ employment: key }) }))}
      />
      <FigureCard
        id="careers"
        title={FIGURE_TITLES.careers}
        caption={TEXT.careersCaption(n)}
        categoryHeading={TEXT.field}
        shape="bars"
        rows={withOthers(figures.careers, (career) => ({ career }))}
      />
      <FigureCard
        id="progress"
        title={FIGURE_TITLES.progress}
        caption={TEXT.progressCaption(n)}
        categoryHeading={TEXT.stage}
        shape="bars"
        rows={figures.progress.map(({ key, count }) => ({ key, label: PROGRESS_STAGE_LABELS[key], count, to: link({ progress: key }) }))}
      />
      <FigureCard
        id="profiles"
        title={FIGURE_TITLES.profiles}
        caption={COMPLETE_PROFILE_TEXT}
        categoryHeading={TEXT.profile}
        shape="bars"
        rows={figures.profiles.map(({ key, count }) => ({ key, label: PROFILE_STATE_LABELS[key], count, to: link({ profile: key }) }))}
      />
    </div>
  );
}

export function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const query = queryOf(params);
  const figures = useDashboard(query);
  const { data: settings } = useSettings();
  const set = (key: string, value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value && !(key === 'status' && value === 'active')) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const filtered = query.center !== undefined || query.from !== undefined || query.to !== undefined || query.status !== 'active';
  const centers = figures.data?.centers ?? [];

  return (
    <section className="page dashboard" aria-labelledby="dashboard-title">
      <header className="page-header">
        <div>
          <h1 id="dashboard-title">{TEXT.title}</h1>
          <p className="subtitle" aria-live="polite">
            {figures.data ? TEXT.scope(figures.data.learners, query.status, figures.data.with_profile) : TEXT.loading}
          </p>
        </div>
        {/* A kiosk serves one visitor at a time: no file of everyone's records leaves it. */}
        {settings && !settings.kiosk && (
          <ReportExport what={TEXT.exportWhat} operation="report.exportDashboard" run={(format) => api.report.exportDashboard({ format, query })} />
        )}
      </header>
      <form className="toolbar dashboard-filters" aria-label={TEXT.filters} onSubmit={(event) => event.preventDefault()}>
        {/* One center needs no choosing. */}
        {centers.length > 1 && (
          <label>
            {TEXT.center}
            <select value={query.center ?? ''} onChange={(event) => set('center', event.target.value)}>
              <option value="">{TEXT.allCenters}</option>
              {centers.map((center) => (
                <option key={center.id} value={center.id}>
                  {center.name ?? `${UNKNOWN_CENTER_NAME} ${center.id}`}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {TEXT.from}
          <input type="date" value={query.from ?? ''} onChange={(event) => set('from', event.target.value)} />
        </label>
        <label>
          {TEXT.to}
          <input type="date" value={query.to ?? ''} onChange={(event) => set('to', event.target.value)} />
        </label>
        <fieldset className="segmented">
          <legend className="visually-hidden">{TEXT.status}</legend>
          {LEARNER_STATUSES.map((status) => (
            <label key={status} className={query.status === status ? 'selected' : ''}>
              <input type="radio" name="status" value={status} checked={query.status === status} onChange={() => set('status', status)} />
              {STATUS_LABELS[status]}
            </label>
          ))}
        </fieldset>
        {filtered && (
          <button type="button" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            {TEXT.clear}
          </button>
        )}
      </form>
      {query.from !== undefined && query.to !== undefined && query.from > query.to && <p className="hint">{TEXT.backwards}</p>}
      {figures.isError && (
        <p className="error" role="alert">
          {figures.error.message}
        </p>
      )}
      {figures.data && (
        <>
          <Tiles figures={figures.data} query={query} />
          <Figures figures={figures.data} query={query} />
        </>
      )}
    </section>
  );
}
