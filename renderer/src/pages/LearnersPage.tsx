// Find a learner: search as you type over names and emails, sort, archived filter, counts; a virtualized list that
// stays smooth with 100k learners (rows are fetched a page at a time as they scroll into view). The dashboard's
// numbers open it filtered (by goal, study time, center…): those filters are shown, and each can be taken off.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useEffect, useRef } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Learner } from '../../../shared/schemas/learner';
import { api } from '../api';
import { ImportExport } from '../components/ImportExport';
import { SyncBadge } from '../components/SyncBadge';
import { LearnerFilters, filtersOf } from '../dashboard/LearnerFilters';
import { learnerStatusLabel } from '../i18n/value-labels';
import { useT } from '../i18n/LanguageProvider';
import { useRecordStates, useSettings, useSyncStatus, type ListPage } from '../lib/queries';
import { data } from '../lib/result';

const PAGE = 100;
const ROW_HEIGHT = 56;
type Sort = 'created_time' | 'first_name' | 'last_name';
type Archived = 'active' | 'archived' | 'all';

export function LearnersPage() {
  const translator = useT();
  const { t } = translator;
  const [params, setParams] = useSearchParams();
  const text = params.get('q') ?? '';
  const sort = (params.get('sort') as Sort | null) ?? 'created_time';
  const archived = (params.get('show') as Archived | null) ?? 'active';
  const filters = filtersOf(params);
  const deferredText = useDeferredValue(text);
  const navigate = useNavigate();
  const set = (key: string, value: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    }, { replace: true });

  const query = useInfiniteQuery({
    queryKey: ['learners', 'browse', deferredText, sort, archived, filters],
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      data<ListPage<Learner>>(
        api.learner.browse({
          text: deferredText,
          offset: pageParam,
          limit: PAGE,
          sort_by: sort,
          sort_order: sort === 'created_time' ? 'descending' : 'ascending',
          fetch_archive: archived === 'all' ? undefined : archived === 'archived',
          ...filters,
        }),
      ),
    getNextPageParam: (last, pages) => (pages.length * PAGE < last.total_count ? pages.length * PAGE : undefined),
  });
  const rows = query.data?.pages.flatMap((page) => page.records) ?? [];
  const total = query.data?.pages[0]?.total_count ?? 0;

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (lastIndex >= rows.length - 20 && query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
  }, [lastIndex, rows.length, query]);

  const { data: sync } = useSyncStatus();
  const { data: settings } = useSettings();
  const visibleIds = items.map((item) => rows[item.index]?.uuid).filter((id): id is string => Boolean(id));
  const { data: states } = useRecordStates(visibleIds, sync !== undefined && sync.state !== 'disabled');

  return (
    <section className="page learners-page" aria-labelledby="learners-title">
      <header className="page-header">
        <h1 id="learners-title">{t('learners.title')}</h1>
        <Link className="button primary" to="/learners/new">
          {t('learners.register')}
        </Link>
      </header>
      <div className="toolbar" role="search">
        <label className="search">
          <span className="visually-hidden">{t('learners.search')}</span>
          <input type="search" placeholder={t('learners.search')} value={text} onChange={(e) => set('q', e.target.value)} autoFocus />
        </label>
        <div className="sort">
          <label htmlFor="learners-sort">{t('learners.sortBy')}</label>
          <select id="learners-sort" value={sort} onChange={(e) => set('sort', e.target.value === 'created_time' ? '' : e.target.value)}>
            <option value="created_time">{t('learners.newestFirst')}</option>
            <option value="first_name">{t('field.firstName')}</option>
            <option value="last_name">{t('field.lastName')}</option>
          </select>
        </div>
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('learners.show')}</legend>
          {(['active', 'archived', 'all'] as const).map((value) => (
            <label key={value} className={archived === value ? 'selected' : ''}>
              <input type="radio" name="show" value={value} checked={archived === value} onChange={() => set('show', value === 'active' ? '' : value)} />
              {learnerStatusLabel(translator, value)}
            </label>
          ))}
        </fieldset>
      </div>
      {/* A kiosk serves one visitor at a time: no way out or in for everyone's records there. */}
      {settings && !settings.kiosk && (
        <ImportExport
          filter={{
            text: deferredText,
            sort_by: sort,
            sort_order: sort === 'created_time' ? 'descending' : 'ascending',
            fetch_archive: archived === 'all' ? undefined : archived === 'archived',
            ...filters,
          }}
        />
      )}
      <LearnerFilters filters={filters} centers={settings?.identity?.centers} onRemove={(key) => set(key, '')} />
      <p className="count" aria-live="polite">
        {query.isPending
          ? t('app.loading')
          : t('learners.count', {
              count: total,
              text: deferredText,
              matching: deferredText ? 'yes' : 'no',
              filtered: Object.keys(filters).length > 0 ? 'yes' : 'no',
            })}
      </p>
      {query.isError && <p className="error" role="alert">{query.error.message}</p>}
      {!query.isPending && total === 0 && (
        <p className="empty">{t(deferredText ? 'learners.noMatch' : 'learners.none')}</p>
      )}
      <div ref={scroller} className="list" role="list" aria-label={t('learners.title')} aria-rowcount={total}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const learner = rows[item.index];
            return (
              <div
                key={item.key}
                role="listitem"
                className="row"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` }}
              >
                {learner ? (
                  <Link to={`/learners/${learner.uuid}`} className="row-link" onKeyDown={(e) => e.key === ' ' && (e.preventDefault(), navigate(`/learners/${learner.uuid}`))}>
                    <span className="row-name">
                      {learner.first_name} {learner.last_name}
                      {learner.is_archived && <span className="badge badge-archived">{t('learner.archivedBadge')}</span>}
                    </span>
                    <span className="row-email">{learner.email_address}</span>
                    <span className="row-date">{translator.day(learner.created_time)}</span>
                    <SyncBadge state={states?.[learner.uuid]} />
                  </Link>
                ) : (
                  <span className="row-loading">{t('app.loading')}</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
