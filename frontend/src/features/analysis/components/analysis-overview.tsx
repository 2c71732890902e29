import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useActiveAnalyses } from '../api/get-active-analyses';
import { parseRunFilter } from '../utils/run-filter';
import { RunList } from './run-list';
import { RunProgress } from './run-progress';
import { StartAnalysisForm } from './start-analysis-form';

/** Start a run, watch the runs in progress, and find earlier ones. */
export function AnalysisOverview() {
  const [searchParams] = useSearchParams();
  const filter = parseRunFilter(searchParams);
  // The run started here stays on screen when it finishes, with a link to its report.
  const [startedId, setStartedId] = useState<number | null>(null);
  const active = useActiveAnalyses();
  const watched = [
    ...(startedId === null ? [] : [startedId]),
    ...(active.data ?? []).map((run) => run.analysis_run_id).filter((id) => id !== startedId),
  ];

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
