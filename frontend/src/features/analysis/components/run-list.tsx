import { useState } from 'react';
import { Link } from 'react-router';
import { DataTable, type Column } from '@/components/data-table';
import { EmptyState } from '@/components/empty-state';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { Pagination } from '@/components/pagination';
import { RelativeTime } from '@/components/relative-time';
import { analysisRunPath } from '@/config/paths';
import { useTeamLabel } from '@/lib/teams';
import { RUNS_PAGE_SIZE, useAnalysisRuns } from '../api/get-analysis-runs';
import { describeSelection } from '../utils/run-labels';
import { RunStatusBadge } from './run-status-badge';

const COLUMNS: Column[] = [
  { label: 'Run' },
  { label: 'Started' },
  { label: 'Tickets', numeric: true },
  { label: 'Selection', optional: true },
  { label: 'Status' },
];

/** Earlier runs, newest first, each linking to its report. */
export function RunList() {
  const [page, setPage] = useState(1);
  const runs = useAnalysisRuns(page);
  const teamName = useTeamLabel();

  function renderRuns() {
    if (runs.isPending) return <Loading label="Loading runs…" />;
    if (!runs.data) return <ErrorAlert error={runs.error} onRetry={() => void runs.refetch()} />;
    const { items, total } = runs.data;
    if (total === 0) {
      return <EmptyState title="No runs yet.">Start the first one above.</EmptyState>;
    }
    const pageCount = Math.max(1, Math.ceil(total / RUNS_PAGE_SIZE));
    return (
      <>
        <DataTable
          caption="Analysis runs, newest first"
          columns={COLUMNS}
          busy={runs.isPlaceholderData}
        >
          {items.map((run) => (
            <tr key={run.id}>
              <th scope="row">
                <Link to={analysisRunPath(run.id)} className="run-list__run">
                  Run #{run.id}
                </Link>
              </th>
              <td>
                <RelativeTime iso={run.created_at} />
              </td>
              <td className="data-table__number">{run.ticket_count}</td>
              <td className="data-table__optional">{describeSelection(run.selection, teamName)}</td>
              <td>
                <RunStatusBadge status={run.status} />
              </td>
            </tr>
          ))}
        </DataTable>
        {pageCount > 1 && (
          <Pagination page={page} pageCount={pageCount} onPageChange={setPage} label="Runs" />
        )}
      </>
    );
  }

  return (
    <section className="card panel" aria-labelledby="runs-title">
      <h2 id="runs-title" className="panel__title">
        Previous runs
      </h2>
      {renderRuns()}
    </section>
  );
}
