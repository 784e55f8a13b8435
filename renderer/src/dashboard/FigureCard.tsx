// One figure of the dashboard: a bar chart (Recharts) for the eye, reachable by keyboard (arrow keys move through
// its bars), named and summed up for screen readers; and the same numbers as a table whose counts are links to the
// learners they count. Colours come from the app's theme (styles.css), light or dark.
import { useNavigate } from 'react-router';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { useT } from '../i18n/LanguageProvider';

export interface FigureRow {
  key: string;
  label: string;
  count: number;
  /** The learner list filtered to these learners; none for a row that sums up several values. */
  to?: string;
}

interface Props {
  id: string;
  title: string;
  caption: string;
  categoryHeading: string;
  rows: FigureRow[];
  /** Bars across for named categories (long names fit); columns for ordered bins (a histogram). */
  shape: 'bars' | 'columns';
}

const BAR_HEIGHT = 26;
const LABEL_WIDTH = 210;
const shortLabel = (label: string, max = 31) => (label.length > max ? `${label.slice(0, max - 1)}…` : label);

/** A category's name beside its bar, cut to fit, the whole name in a tooltip. */
function CategoryTick(props: { x?: number | string; y?: number | string; payload?: { value?: string } }) {
  const label = String(props.payload?.value ?? '');
  return (
    <text x={props.x} y={props.y} dy={4} textAnchor="end" className="figure-tick">
      {shortLabel(label)}
      <title>{label}</title>
    </text>
  );
}

export function FigureCard({ id, title, caption, categoryHeading, rows, shape }: Props) {
  const translator = useT();
  const { t, number } = translator;
  const navigate = useNavigate();
  const empty = rows.every((row) => row.count === 0);
  const learners = t('figure.learners');
  const summary = t('figure.summary', { title, parts: rows.map((row) => t('figure.summaryPart', { label: row.label, count: row.count })).join(', ') });
  const tick = (value: unknown) => number(Number(value));
  const open = (row: FigureRow | undefined) => row?.to && navigate(row.to);
  const chartHeight = shape === 'bars' ? rows.length * BAR_HEIGHT + 40 : 230;

  return (
    <section className="card figure" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="hint">{caption}</p>
      {empty ? (
        <p className="empty">{t('figure.none')}</p>
      ) : (
        <div className="figure-chart">
          <BarChart
            responsive
            style={{ width: '100%', height: chartHeight }}
            data={rows}
            layout={shape === 'bars' ? 'vertical' : 'horizontal'}
            margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
            title={title}
            desc={summary}
          >
            <CartesianGrid horizontal={shape === 'columns'} vertical={shape === 'bars'} />
            {shape === 'bars' ? (
              <>
                <XAxis type="number" allowDecimals={false} tickFormatter={tick} />
                <YAxis type="category" dataKey="label" width={LABEL_WIDTH} tick={<CategoryTick />} interval={0} />
              </>
            ) : (
              <>
                <XAxis type="category" dataKey="label" interval={0} />
                <YAxis type="number" allowDecimals={false} width={48} tickFormatter={tick} />
              </>
            )}
            <Tooltip
              formatter={(value) => [number(Number(value)), learners]}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)', borderRadius: 8 }}
              cursor={{ className: 'figure-cursor' }}
            />
            <Bar
              dataKey="count"
              name={learners}
              className="figure-bar"
              isAnimationActive={false}
              cursor="pointer"
              onClick={(bar) => open((bar as { payload?: FigureRow }).payload)}
            />
          </BarChart>
        </div>
      )}
      <table className="figure-table">
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{categoryHeading}</th>
            <th scope="col" className="number">{learners}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              <td className="number">
                {row.to ? (
                  <Link to={row.to} aria-label={t('figure.show', { count: row.count, label: row.label })}>
                    {number(row.count)}
                  </Link>
                ) : (
                  number(row.count)
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
