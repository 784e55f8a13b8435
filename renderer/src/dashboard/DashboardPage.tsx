// The counselor's first screen: the center at a glance. Totals, then each figure as a chart and a table, every number
// a link to the learners it counts; filtered by center (on a device with several), registration days and archive
// state, the filters kept in the address so a reload or a link keeps them. The figures come from the main process.
import { Link, useSearchParams } from 'react-router';
import { LEARNER_STATUSES, type DashboardFigures, type DashboardQuery, type LearnerStatus } from '../../../shared/dashboard';
import { api } from '../api';
import { useT } from '../i18n/LanguageProvider';
import type { Translator } from '../i18n/translator';
import { careerLabel, employmentLabel, goalLabel, learnerStatusLabel, profileStateLabel, progressStageLabel, studyBinLabel } from '../i18n/value-labels';
import { useSettings } from '../lib/queries';
import { ReportExport } from '../reports/ReportExport';
import { FigureCard, type FigureRow } from './FigureCard';
import { baseFilter, laterDay, listLink, type ListFilter } from './links';
import { useDashboard } from './useDashboard';

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
  const translator = useT();
  const { t } = translator;
  const base = baseFilter(query);
  const tiles: { key: string; label: string; count: number; to: string }[] = [
    { key: 'active', label: t('dashboard.active'), count: figures.totals.active, to: listLink({ ...base, show: 'active' }) },
    { key: 'archived', label: t('dashboard.archived'), count: figures.totals.archived, to: listLink({ ...base, show: 'archived' }) },
    {
      key: 'new',
      label: t('dashboard.newThisMonth'),
      count: figures.totals.new_this_month,
      to: listLink({ ...base, show: 'all', from: laterDay(query.from, figures.month_start) }),
    },
  ];
  return (
    <ul className="tiles" aria-label={t('dashboard.tiles')}>
      {tiles.map((tile) => (
        <li key={tile.key}>
          <Link to={tile.to} className="tile">
            <span className="tile-number">{translator.number(tile.count)}</span>
            <span className="tile-label">{tile.label}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function Figures({ figures, query }: { figures: DashboardFigures; query: DashboardQuery }) {
  const translator = useT();
  const { t } = translator;
  const base = baseFilter(query);
  const link = (filter: ListFilter) => listLink({ ...base, ...filter });
  const withOthers = (
    values: DashboardFigures['goals'],
    label: (translator: Translator, value: string) => string,
    filter: (key: string) => ListFilter,
  ): FigureRow[] => [
    ...values.top.map(({ key, count }) => ({ key, label: label(translator, key), count, to: link(filter(key)) })),
    ...(values.other_values > 0 ? [{ key: '__other', label: t('dashboard.otherValues', { count: values.other_values }), count: values.other_learners }] : []),
  ];
  const count = { count: figures.with_profile };
  return (
    <div className="figures">
      <FigureCard
        id="goals"
        title={t('figure.goals')}
        caption={t('dashboard.goalsCaption', count)}
        categoryHeading={t('dashboard.goal')}
        shape="bars"
        rows={withOthers(figures.goals, goalLabel, (goal) => ({ goal }))}
      />
      <FigureCard
        id="study"
        title={t('figure.studyTime')}
        caption={t('dashboard.studyCaption', count)}
        categoryHeading={t('dashboard.hours')}
        shape="columns"
        rows={figures.study_time.map(({ key, count }) => ({ key, label: studyBinLabel(translator, key), count, to: link({ study: key }) }))}
      />
      <FigureCard
        id="employment"
        title={t('figure.employment')}
        caption={t('dashboard.overProfiles', count)}
        categoryHeading={t('dashboard.employmentHeading')}
        shape="bars"
        rows={figures.employment.map(({ key, count }) => ({ key, label: employmentLabel(translator, key), count, to: link({ employment: key }) }))}
      />
      <FigureCard
        id="careers"
        title={t('figure.careers')}
        caption={t('dashboard.careersCaption', count)}
        categoryHeading={t('dashboard.field')}
        shape="bars"
        rows={withOthers(figures.careers, careerLabel, (career) => ({ career }))}
      />
      <FigureCard
        id="progress"
        title={t('figure.progress')}
        caption={t('dashboard.progressCaption', count)}
        categoryHeading={t('dashboard.stage')}
        shape="bars"
        rows={figures.progress.map(({ key, count }) => ({ key, label: progressStageLabel(translator, key), count, to: link({ progress: key }) }))}
      />
      <FigureCard
        id="profiles"
        title={t('figure.profiles')}
        caption={t('dashboard.completeRule')}
        categoryHeading={t('dashboard.profile')}
        shape="bars"
        rows={figures.profiles.map(({ key, count }) => ({ key, label: profileStateLabel(translator, key), count, to: link({ profile: key }) }))}
      />
    </div>
  );
}

export function DashboardPage() {
  const translator = useT();
  const { t } = translator;
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
          <h1 id="dashboard-title">{t('layout.dashboard')}</h1>
          <p className="subtitle" aria-live="polite">
            {figures.data
              ? t('dashboard.scope', { learners: figures.data.learners, status: query.status, withProfile: figures.data.with_profile })
              : t('dashboard.loading')}
          </p>
        </div>
        {/* A kiosk serves one visitor at a time: no file of everyone's records leaves it. */}
        {settings && !settings.kiosk && (
          <ReportExport what="tables" operation="report.exportDashboard" run={(format) => api.report.exportDashboard({ format, query })} />
        )}
      </header>
      <form className="toolbar dashboard-filters" aria-label={t('dashboard.filters')} onSubmit={(event) => event.preventDefault()}>
        {/* One center needs no choosing. */}
        {centers.length > 1 && (
          <label>
            {t('learnerForm.center')}
            <select value={query.center ?? ''} onChange={(event) => set('center', event.target.value)}>
              <option value="">{t('dashboard.allCenters')}</option>
              {centers.map((center) => (
                <option key={center.id} value={center.id}>
                  {center.name ?? t('dashboard.unnamedCenter', { name: t('center.unknown'), id: center.id })}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('dashboard.from')}
          <input type="date" value={query.from ?? ''} onChange={(event) => set('from', event.target.value)} />
        </label>
        <label>
          {t('dashboard.to')}
          <input type="date" value={query.to ?? ''} onChange={(event) => set('to', event.target.value)} />
        </label>
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('layout.learners')}</legend>
          {LEARNER_STATUSES.map((status) => (
            <label key={status} className={query.status === status ? 'selected' : ''}>
              <input type="radio" name="status" value={status} checked={query.status === status} onChange={() => set('status', status)} />
              {learnerStatusLabel(translator, status)}
            </label>
          ))}
        </fieldset>
        {filtered && (
          <button type="button" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            {t('dashboard.clear')}
          </button>
        )}
      </form>
      {query.from !== undefined && query.to !== undefined && query.from > query.to && <p className="hint">{t('dashboard.backwards')}</p>}
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
