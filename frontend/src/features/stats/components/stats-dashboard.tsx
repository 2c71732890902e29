import { EmptyState } from '@/components/empty-state';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS } from '@/lib/labels';
import { CATEGORIES, PRIORITIES, STATUSES } from '@/types/api';
import { useStats, type Stats } from '../api/get-stats';
import { useWorkload, type Workload } from '../api/get-workload';
import { TO_DO, ticketsLink } from '../utils/ticket-links';
import { AcceptanceCard } from './acceptance-card';
import { BreakdownChart } from './breakdown-chart';
import { DailyChart } from './daily-chart';
import { StatCard } from './stat-card';
import { TriageModelCard } from './triage-model-card';
import { WorkloadCard } from './workload-card';

const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/**
 * Everything not resolved or closed: the workload's backlog, or (until it answers) the same
 * count from the status breakdown. Not the "open" status alone, which hides in-progress work.
 */
function backlogOf(stats: Stats, workload: Workload | undefined): number {
  return workload?.backlog ?? stats.status_breakdown.open + stats.status_breakdown.in_progress;
}

export function StatsDashboard() {
  const stats = useStats();
  const workload = useWorkload();

  if (stats.isPending) return <Loading label="Loading statistics…" />;
  if (stats.isError) return <ErrorAlert error={stats.error} onRetry={() => void stats.refetch()} />;

  const data = stats.data;
  const load = workload.data;
  const { open, in_progress: inProgress } = data.status_breakdown;
  return (
    <div className="dashboard" aria-busy={stats.isFetching || workload.isFetching}>
      <dl className="stat-grid stat-grid--wide">
        <StatCard label="Total tickets" value={String(data.total_tickets)} to={ticketsLink()} />
        <StatCard
          label="Backlog"
          value={String(backlogOf(data, load))}
          hint={`${open} open, ${inProgress} in progress`}
          to={ticketsLink({ status: TO_DO })}
          lead
        />
        <StatCard
          label="Open tickets"
          value={String(open)}
          hint="not started yet"
          to={ticketsLink({ status: 'open' })}
        />
        {load && (
          <>
            <StatCard
              label="Unassigned"
              value={String(load.unassigned)}
              hint="still to do"
              to={ticketsLink({ assignee: 'none', status: TO_DO })}
            />
            <StatCard
              label="Needs review"
              value={String(load.needs_review)}
              hint="AI labels to check"
              to={ticketsLink({ needs_review: 'true', status: TO_DO })}
            />
            <StatCard
              label="SLA breached"
              value={String(load.breached)}
              hint="still to do"
              to={ticketsLink({ sla: 'breached' })}
            />
          </>
        )}
        <StatCard
          label="Average per day"
          value={oneDecimal.format(data.avg_tickets_per_day)}
          hint="new tickets"
        />
      </dl>
      <section className="dashboard__section" aria-labelledby="workload-title">
        <h2 id="workload-title" className="dashboard__heading">
          Workload
        </h2>
        {workload.isPending ? (
          <Loading label="Loading the workload…" />
        ) : !load ? (
          <ErrorAlert error={workload.error} onRetry={() => void workload.refetch()} />
        ) : load.agents.length === 0 ? (
          <p className="panel__muted">Nobody works on tickets yet.</p>
        ) : (
          <ul className="workload-grid" aria-label="Workload per person">
            {load.agents.map((agent) => (
              <WorkloadCard key={agent.user_id} agent={agent} />
            ))}
          </ul>
        )}
      </section>
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
            linkFor={(status) => ticketsLink({ status })}
          />
          <BreakdownChart
            title="By priority"
            kind="priority"
            order={PRIORITIES}
            labels={PRIORITY_LABELS}
            counts={data.priority_breakdown}
            linkFor={(priority) => ticketsLink({ priority })}
          />
          <BreakdownChart
            title="By category"
            kind="category"
            order={CATEGORIES}
            labels={CATEGORY_LABELS}
            counts={data.category_breakdown}
            linkFor={(category) => ticketsLink({ category })}
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
