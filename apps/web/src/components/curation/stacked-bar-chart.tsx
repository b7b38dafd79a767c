import { useId } from 'react';

export type ChartSeries = { name: string; values: number[] };

const WIDTH = 720;
const HEIGHT = 260;
const PAD = { top: 12, right: 12, bottom: 36, left: 40 };
const PALETTE = 8;

/** A round step for the y axis: 1, 2 or 5 times a power of ten, about four ticks. */
function niceStep(max: number): number {
  const rough = Math.max(1, max / 4);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  return Math.max(1, step);
}

/**
 * Stacked bars, one per category along x, one colour per series: inline SVG with a legend and the
 * same numbers in a table, so nothing depends on seeing the colours.
 */
export function StackedBarChart(props: { title: string; categories: string[]; categoryLabel: (c: string) => string; series: ChartSeries[]; unit: string }) {
  const { title, categories, categoryLabel, series, unit } = props;
  const id = useId();
  const totals = categories.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const band = plotW / Math.max(1, categories.length);
  const barW = Math.min(48, band * 0.7);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  // Thin the month labels so they never overlap.
  const labelEvery = Math.max(1, Math.ceil(categories.length / 12));
  const busiest = categories[totals.indexOf(Math.max(...totals))];
  const summary = `${categories.length} months from ${categoryLabel(categories[0]!)} to ${categoryLabel(categories[categories.length - 1]!)}; the busiest is ${busiest ? categoryLabel(busiest) : ''} with ${Math.max(...totals)} ${unit}.`;

  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      {/* The page's heading above the chart says the same: the caption names the figure for screen readers only. */}
      <figcaption id={`${id}-caption`} className="visually-hidden">
        {title}
      </figcaption>
      <svg className="chart-svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} preserveAspectRatio="xMidYMid meet">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary} The table below gives every number.</desc>
        <g className="chart-grid">
          {ticks.map((t) => (
            <g key={t}>
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} />
              <text x={PAD.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
                {t}
              </text>
            </g>
          ))}
        </g>
        {categories.map((category, i) => {
          const x = PAD.left + band * i + (band - barW) / 2;
          let base = 0;
          return (
            <g key={category} className="chart-bar">
              {series.map((s, si) => {
                const value = s.values[i] ?? 0;
                if (!value) return null;
                const rect = (
                  <rect key={s.name} className={`chart-color-${si % PALETTE}`} x={x} width={barW} y={y(base + value)} height={y(base) - y(base + value)}>
                    <title>{`${categoryLabel(category)} · ${s.name}: ${value}`}</title>
                  </rect>
                );
                base += value;
                return rect;
              })}
              {i % labelEvery === 0 ? (
                <text className="chart-axis-label" x={x + barW / 2} y={HEIGHT - PAD.bottom + 16} textAnchor="middle">
                  {categoryLabel(category)}
                </text>
              ) : null}
            </g>
          );
        })}
        <line className="chart-axis" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} />
      </svg>
      <ul className="chart-legend" aria-label="Legend">
        {series.map((s, si) => (
          <li key={s.name}>
            <svg width="12" height="12" aria-hidden="true" focusable="false">
              <rect className={`chart-color-${si % PALETTE}`} width="12" height="12" rx="2" />
            </svg>
            {s.name}
          </li>
        ))}
      </ul>
      <details className="chart-table">
        <summary>Show the numbers as a table</summary>
        <div className="table-scroll">
          <table className="data-table">
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                {series.map((s) => (
                  <th key={s.name} scope="col" className="numeric">
                    {s.name}
                  </th>
                ))}
                <th scope="col" className="numeric">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {categories.map((category, i) => (
                <tr key={category}>
                  <th scope="row">{categoryLabel(category)}</th>
                  {series.map((s) => (
                    <td key={s.name} className="numeric">
                      {s.values[i] ?? 0}
                    </td>
                  ))}
                  <td className="numeric">{totals[i]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
