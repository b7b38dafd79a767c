import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { StackedBarChart, type ChartSeries } from '../components/curation/stacked-bar-chart';
import { PageLoading } from '../components/page-loading';
import { LoadError } from '../components/route-error';
import { useTRPC, type RouterOutputs } from '../lib/trpc';
import { useDocumentTitle } from '../lib/use-document-title';

type Stats = RouterOutputs['chatlogs']['stats'];

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: '2-digit', timeZone: 'UTC' });
/** Beyond this many months the chart shows the most recent ones (the table below the chart too). */
const MAX_MONTHS = 36;

function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return monthFormat.format(new Date(Date.UTC(y!, m! - 1, 1)));
}

/** Every month from the first to the last, empty ones included, so gaps show as gaps. */
function monthRange(first: string, last: string): string[] {
  const months: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  const end = last;
  for (let guard = 0; guard < 1200; guard++) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    months.push(month);
    if (month >= end) break;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return months;
}

function perMonthSeries(stats: Stats): { months: string[]; series: ChartSeries[] } {
  const rows = stats.perMonth;
  if (!rows.length) return { months: [], series: [] };
  const sorted = [...rows].map((r) => r.month).sort();
  const months = monthRange(sorted[0]!, sorted[sorted.length - 1]!).slice(-MAX_MONTHS);
  // Sources in the order of their totals, so colours match the per-source table.
  const sources = stats.perSource.map((s) => s.source).filter((source) => rows.some((r) => r.source === source));
  const series = sources.map((source) => ({
    name: source,
    values: months.map((month) => rows.find((r) => r.month === month && r.source === source)?.chatlogs ?? 0),
  }));
  return { months, series };
}

/** Totals, logs and messages per source, logs per month by source, and the most used tags. */
export function StatsPage() {
  useDocumentTitle('Stats');
  const trpc = useTRPC();
  const stats = useQuery(trpc.chatlogs.stats.queryOptions());

  return (
    <section className="page stats" aria-labelledby="stats-heading">
      <div className="page-heading">
        <h1 id="stats-heading">Stats</h1>
      </div>
      {stats.isPending ? (
        <PageLoading label="Counting…" />
      ) : stats.isError ? (
        <LoadError what="the stats" error={stats.error} onRetry={() => void stats.refetch()} retrying={stats.isFetching} />
      ) : !stats.data.totals.chatlogs ? (
        <div className="panel empty-state">
          <p className="empty-title">Nothing to count yet</p>
          <p className="muted">
            <Link to="/chats/new">Add a chat log</Link> and its numbers show up here.
          </p>
        </div>
      ) : (
        <StatsView stats={stats.data} />
      )}
    </section>
  );
}

function StatsView({ stats }: { stats: Stats }) {
  const { months, series } = perMonthSeries(stats);
  return (
    <>
      <dl className="stat-totals">
        <div className="panel">
          <dt>Chat logs</dt>
          <dd>{stats.totals.chatlogs.toLocaleString()}</dd>
        </div>
        <div className="panel">
          <dt>Messages</dt>
          <dd>{stats.totals.messages.toLocaleString()}</dd>
        </div>
        <div className="panel">
          <dt>Notes</dt>
          <dd>{stats.totals.annotations.toLocaleString()}</dd>
        </div>
      </dl>

      <section className="panel" aria-labelledby="per-month-heading">
        <h2 id="per-month-heading">Chat logs per month</h2>
        {months.length ? (
          <StackedBarChart title="Chat logs per month by source" categories={months} categoryLabel={monthLabel} series={series} unit="chat logs" />
        ) : (
          <p className="muted">No dates to chart.</p>
        )}
      </section>

      <div className="stats-columns">
        <section className="panel table-panel" aria-labelledby="per-source-heading">
          <h2 id="per-source-heading">By source</h2>
          <table className="data-table">
            <caption className="visually-hidden">Chat logs and messages per source</caption>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col" className="numeric">
                  Chat logs
                </th>
                <th scope="col" className="numeric">
                  Messages
                </th>
              </tr>
            </thead>
            <tbody>
              {stats.perSource.map((s) => (
                <tr key={s.source}>
                  <th scope="row">
                    <Link to={`/?source=${encodeURIComponent(s.source)}`}>{s.source}</Link>
                  </th>
                  <td className="numeric">{s.chatlogs.toLocaleString()}</td>
                  <td className="numeric">{s.messages.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel" aria-labelledby="top-tags-heading">
          <h2 id="top-tags-heading">Top tags</h2>
          {stats.topTags.length ? (
            <ul className="tag-list top-tags">
              {stats.topTags.map((tag) => (
                <li key={tag.name}>
                  <Link className="tag-chip" to={`/?tag=${encodeURIComponent(tag.name)}`}>
                    <span className="visually-hidden">Library filtered by tag </span>
                    {tag.name}
                  </Link>{' '}
                  <span className="muted">{tag.count}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">
              No tags yet. <Link to="/tags">Manage tags</Link>
            </p>
          )}
        </section>
      </div>
    </>
  );
}
