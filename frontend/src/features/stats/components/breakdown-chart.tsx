import { Link, useNavigate } from 'react-router';
import { Bar, BarChart, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

type BreakdownChartProps<T extends string> = {
  title: string;
  /** Used for the CSS colour variables, e.g. "priority" → var(--priority-high). */
  kind: string;
  order: readonly T[];
  labels: Record<T, string>;
  counts: Record<T, number>;
  /** The ticket list a segment stands for: its bar and its legend entry open it. */
  linkFor?: (key: T) => string;
};

export function BreakdownChart<T extends string>({
  title,
  kind,
  order,
  labels,
  counts,
  linkFor,
}: BreakdownChartProps<T>) {
  const navigate = useNavigate();
  const data = order.map((key) => ({ key, label: labels[key], count: counts[key] ?? 0 }));
  const headingId = `chart-${kind}`;

  return (
    <figure className="card chart" aria-labelledby={headingId}>
      <figcaption id={headingId} className="chart__title">
        {title}
      </figcaption>
      {/* The legend below carries the same numbers (and links) in text, so the drawing is
          decoration for assistive technology; a pointer can still click a bar. */}
      <div className="chart__canvas" aria-hidden="true">
        <ResponsiveContainer width="100%" height={180}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -24 }}>
            <XAxis dataKey="label" tickLine={false} axisLine={false} fontSize={12} interval={0} />
            <YAxis allowDecimals={false} tickLine={false} axisLine={false} fontSize={12} />
            <Tooltip cursor={{ fill: 'var(--surface-muted)' }} />
            <Bar dataKey="count" name="Tickets" radius={[6, 6, 0, 0]} isAnimationActive={false}>
              {data.map((entry) => (
                <Cell
                  key={entry.key}
                  fill={`var(--${kind}-${entry.key})`}
                  cursor={linkFor ? 'pointer' : undefined}
                  onClick={linkFor ? () => void navigate(linkFor(entry.key)) : undefined}
                />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ul className="legend" aria-label={`${title} counts`}>
        {data.map((entry) => {
          const content = (
            <>
              <span
                className="legend__swatch"
                style={{ background: `var(--${kind}-${entry.key})` }}
                aria-hidden="true"
              />
              {entry.label}
              <strong className="legend__count">{entry.count}</strong>
            </>
          );
          return (
            <li key={entry.key} className="legend__item">
              {linkFor ? (
                <Link to={linkFor(entry.key)} className="legend__link">
                  {content}
                </Link>
              ) : (
                content
              )}
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
