import { Link } from 'react-router';
import { EmptyState } from '@/components/empty-state';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { RelativeTime } from '@/components/relative-time';
import { paths } from '@/config/paths';
import { ProblemError } from '@/lib/api-client';
import { useTeamLabel } from '@/lib/teams';
import { useAnalysisRun } from '../api/get-analysis-run';
import { AdminsOnly, isForbidden } from './admins-only';
import { isRunActive, type RunDetail } from '../api/types';
import { describeSelection } from '../utils/run-labels';
import { RunProgress } from './run-progress';
import { RunResultsTable } from './run-results-table';
import { RunStatusBadge } from './run-status-badge';
import { RunSummaryView } from './run-summary';

/** One run: its progress while it works, then the executive summary and every result. */
export function RunReport({ id }: { id: number }) {
  const run = useAnalysisRun(id);
  const back = (
    <Link to={paths.analysis} className="back-link">
      ← Analysis
    </Link>
  );

  if (!run.data) {
    return (
      <>
        <title>{`Run #${id} · Supportdesk`}</title>
        {back}
        <div className="page-header">
          <h1>Analysis run #{id}</h1>
        </div>
        {run.isPending ? (
          <Loading label="Loading the run…" />
        ) : isForbidden(run.error) ? (
          <AdminsOnly />
        ) : run.error instanceof ProblemError && run.error.status === 404 ? (
          <EmptyState title={`There is no run #${id}.`}>
            <Link to={paths.analysis}>Go to the analysis runs</Link>
          </EmptyState>
        ) : (
          <ErrorAlert error={run.error} onRetry={() => void run.refetch()} />
        )}
      </>
    );
  }

  return (
    <>
      <title>{`Run #${id} · Supportdesk`}</title>
      {back}
      <RunView run={run.data} />
    </>
  );
}

function RunView({ run }: { run: RunDetail }) {
  const active = isRunActive(run.status);
  const teamName = useTeamLabel();
  return (
    <div className="analysis">
      <div className="page-header run-header">
        <div>
          <h1>Analysis run #{run.id}</h1>
          <p className="ticket-page__meta">
            {describeSelection(run.selection, teamName)} · {run.ticket_count}{' '}
            {run.ticket_count === 1 ? 'ticket' : 'tickets'} · started{' '}
            <RelativeTime iso={run.created_at} />
            {run.finished_at && (
              <>
                {' '}
                · finished <RelativeTime iso={run.finished_at} />
              </>
            )}
          </p>
        </div>
        <RunStatusBadge status={run.status} />
      </div>
      {active && <RunProgress runId={run.id} />}
      {run.status === 'failed' && (
        <div role="alert" className="alert alert--error">
          <p className="alert__title">The run failed</p>
          <p>Some tickets may have results below; start a new run to try the rest again.</p>
        </div>
      )}
      {run.summary_data ? (
        <RunSummaryView
          summary={run.summary_data}
          text={run.summary}
          provider={run.summary_provider}
        />
      ) : (
        !active &&
        run.summary && (
          <section className="card panel" aria-labelledby="summary-title">
            <h2 id="summary-title" className="panel__title">
              Executive summary
            </h2>
            <p className="run-summary__prose">{run.summary}</p>
          </section>
        )
      )}
      {run.ticket_analyses.length > 0 && <RunResultsTable results={run.ticket_analyses} />}
    </div>
  );
}
