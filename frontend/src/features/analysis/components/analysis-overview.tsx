import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Loading } from '@/components/loading';
import { useMe } from '@/lib/current-user';
import { useActiveAnalyses } from '../api/get-active-analyses';
import { useAnalysisRuns } from '../api/get-analysis-runs';
import { parseRunFilter } from '../utils/run-filter';
import { AdminsOnly, isForbidden } from './admins-only';
import { RunList } from './run-list';
import { RunProgress } from './run-progress';
import { StartAnalysisForm } from './start-analysis-form';

/** Start a run, watch the runs in progress, and find earlier ones: for admins only. */
export function AnalysisOverview() {
  const me = useMe();
  // Asking the server would only get 403s (errors in the console): first learn who asks.
  if (me.isPending) return <Loading label="Loading…" />;
  if (me.data && me.data.role !== 'admin') return <AdminsOnly />;
  // Not knowing who asks (the question failed), a refusal from the server says the same.
  return <Runs />;
}

function Runs() {
  const [searchParams] = useSearchParams();
  const filter = parseRunFilter(searchParams);
  // The run started here stays on screen when it finishes, with a link to its report.
  const [startedId, setStartedId] = useState<number | null>(null);
  const active = useActiveAnalyses();
  // The same query RunList shows; here only to tell a refusal apart.
  const firstPage = useAnalysisRuns(1);
  const watched = [
    ...(startedId === null ? [] : [startedId]),
    ...(active.data ?? []).map((run) => run.analysis_run_id).filter((id) => id !== startedId),
  ];

  if (isForbidden(active.error) || isForbidden(firstPage.error)) return <AdminsOnly />;

  return (
    <div className="analysis">
      <StartAnalysisForm filter={filter} onStarted={(run) => setStartedId(run.id)} />
      {watched.length > 0 && (
        <div className="analysis__progress" aria-label="Runs in progress" role="region">
          {watched.map((id) => (
            <RunProgress key={id} runId={id} linkToReport />
          ))}
        </div>
      )}
      <RunList />
    </div>
  );
}
