import { EmptyState } from '@/components/empty-state';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS } from '@/lib/labels';
import { CATEGORIES, PRIORITIES, STATUSES } from '@/types/api';
import { useStats } from '../api/get-stats';
import { AcceptanceCard } from './acceptance-card';
import { BreakdownChart } from './breakdown-chart';
import { DailyChart } from './daily-chart';
import { StatCard } from './stat-card';
import { TriageModelCard } from './triage-model-card';

const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

export function StatsDashboard() {
  const stats = useStats();

  if (stats.isPending) return <Loading label="Loading statistics…" />;
  if (stats.isError) return <ErrorAlert error={stats.error} onRetry={() => void stats.refetch()} />;

  const data = stats.data;
  return (
    <div className="dashboard" aria-busy={stats.isFetching}>
      <dl className="stat-grid">
        <StatCard label="Total tickets" value={String(data.total_tickets)} />
        <StatCard label="Open tickets" value={String(data.open_tickets)} />
        <StatCard
          label="Average per day"
          value={oneDecimal.format(data.avg_tickets_per_day)}
          hint="new tickets"
        />
      </dl>
      {data.total_tickets === 0 ? (
        <EmptyState title="No tickets yet.">
          <p>Charts appear once the first ticket is filed.</p>
        </EmptyState>
      ) : (
        <div className="chart-grid">
          <BreakdownChart
            title="By status"
            kind="status"
            order={STATUSES}
            labels={STATUS_LABELS}
            counts={data.status_breakdown}
          />
          <BreakdownChart
            title="By priority"
            kind="priority"
            order={PRIORITIES}
            labels={PRIORITY_LABELS}
            counts={data.priority_breakdown}
          />
          <BreakdownChart
            title="By category"
            kind="category"
            order={CATEGORIES}
            labels={CATEGORY_LABELS}
            counts={data.category_breakdown}
          />
          <DailyChart days={data.tickets_per_day} />
        </div>
      )}
      <section className="dashboard__section" aria-labelledby="ai-triage-title">
        <h2 id="ai-triage-title" className="dashboard__heading">
          AI triage
        </h2>
        <div className="chart-grid chart-grid--two">
          <AcceptanceCard acceptance={data.ai_acceptance} />
          <TriageModelCard />
        </div>
      </section>
    </div>
  );
}
