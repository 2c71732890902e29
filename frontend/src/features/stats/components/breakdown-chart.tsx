import { Bar, BarChart, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

type BreakdownChartProps<T extends string> = {
  title: string;
  /** Used for the CSS colour variables, e.g. "priority" → var(--priority-high). */
  kind: string;
  order: readonly T[];
  labels: Record<T, string>;
  counts: Record<T, number>;
};

export function BreakdownChart<T extends string>({
  title,
  kind,
  order,
  labels,
  counts,
}: BreakdownChartProps<T>) {
  const data = order.map((key) => ({ key, label: labels[key], count: counts[key] ?? 0 }));
  const headingId = `chart-${kind}`;

  return (
    <figure className="card chart" aria-labelledby={headingId}>
      <figcaption id={headingId} className="chart__title">
        {title}
      </figcaption>
      {/* The legend below carries the same numbers in text, so the drawing is decoration. */}
      <div className="chart__canvas" aria-hidden="true">
        <ResponsiveContainer width="100%" height={180}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -24 }}>
            <XAxis dataKey="label" tickLine={false} axisLine={false} fontSize={12} interval={0} />
            <YAxis allowDecimals={false} tickLine={false} axisLine={false} fontSize={12} />
            <Tooltip cursor={{ fill: 'var(--surface-muted)' }} />
            <Bar dataKey="count" name="Tickets" radius={[6, 6, 0, 0]} isAnimationActive={false}>
              {data.map((entry) => (
                <Cell key={entry.key} fill={`var(--${kind}-${entry.key})`} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ul className="legend" aria-label={`${title} counts`}>
        {data.map((entry) => (
          <li key={entry.key} className="legend__item">
            <span
              className="legend__swatch"
              style={{ background: `var(--${kind}-${entry.key})` }}
              aria-hidden="true"
            />
            {entry.label}
            <strong className="legend__count">{entry.count}</strong>
          </li>
        ))}
      </ul>
    </figure>
  );
}
