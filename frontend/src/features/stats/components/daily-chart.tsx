import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DailyCount } from '../api/get-stats';

const dayLabel = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

function formatDay(isoDate: string): string {
  // Dates are UTC calendar days; parsing them in local time could shift them by one.
  return dayLabel.format(new Date(`${isoDate}T00:00:00Z`));
}

export function DailyChart({ days }: { days: DailyCount[] }) {
  const data = days.map((day) => ({ ...day, label: formatDay(day.date) }));
  const total = days.reduce((sum, day) => sum + day.count, 0);
  const busiest = days.reduce<DailyCount | null>(
    (best, day) => (best === null || day.count > best.count ? day : best),
    null,
  );

  return (
    <figure className="card chart chart--wide" aria-labelledby="chart-daily">
      <figcaption id="chart-daily" className="chart__title">
        Tickets per day <span className="chart__subtitle">last {days.length} days</span>
      </figcaption>
      <div className="chart__canvas" aria-hidden="true">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -24 }}>
            <XAxis
              dataKey="label"
              tickLine={false}
              axisLine={false}
              fontSize={12}
              minTickGap={24}
            />
            <YAxis allowDecimals={false} tickLine={false} axisLine={false} fontSize={12} />
            <Tooltip cursor={{ fill: 'var(--surface-muted)' }} />
            <Bar
              dataKey="count"
              name="Tickets"
              fill="var(--accent)"
              radius={[4, 4, 0, 0]}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <p className="chart__summary">
        {total} tickets in this period
        {busiest &&
          busiest.count > 0 &&
          `; busiest day ${formatDay(busiest.date)} (${busiest.count})`}
        .
      </p>
    </figure>
  );
}
