import { Link } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { analysisRunPath } from '@/config/paths';
import { formatPercent } from '@/lib/labels';
import { useAnalysisStatus } from '../api/get-analysis-status';
import { isRunActive, type Progress, type ResultStatus } from '../api/types';
import { RESULT_STATUS_LABELS, RUN_STATUS_LABELS } from '../utils/run-labels';
import { RunStatusBadge } from './run-status-badge';

const COUNTED: ResultStatus[] = ['pending', 'processing', 'analyzed', 'failed'];

type RunProgressProps = {
  runId: number;
  /** Offer a link to the run's report once it has finished (not on the report itself). */
  linkToReport?: boolean;
};

/** A run's progress, asked every second until the run has finished. */
export function RunProgress({ runId, linkToReport = false }: RunProgressProps) {
  const status = useAnalysisStatus(runId);
  const titleId = `run-${runId}-progress-title`;

  function renderBody() {
    if (status.isPending) return <Loading label="Loading progress…" />;
    if (!status.data) {
      return <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />;
    }
    const { progress } = status.data;
    const finished = !isRunActive(status.data.status);
    return (
      <>
        <ProgressBar progress={progress} label={`Run #${runId} progress`} />
        <ul className="progress-counts" aria-label={`Run #${runId} tickets by status`}>
          {COUNTED.map((key) => (
            <li key={key} className={`progress-count progress-count--${key}`}>
              <span className="progress-count__value">{progress[key]}</span>{' '}
              {RESULT_STATUS_LABELS[key]}
            </li>
          ))}
        </ul>
        {finished && linkToReport && (
          <Link to={analysisRunPath(runId)} className="button button--secondary run-progress__link">
            View the report of run #{runId}
          </Link>
        )}
      </>
    );
  }

  return (
    <section className="card panel run-progress" aria-labelledby={titleId}>
      <div className="panel__header">
        <h2 id={titleId} className="panel__title">
          Run #{runId}
        </h2>
        {status.data && <RunStatusBadge status={status.data.status} />}
      </div>
      {/* Announces the stage, not every tick of the counts. */}
      <p role="status" className="visually-hidden">
        {status.data && `Run #${runId}: ${RUN_STATUS_LABELS[status.data.status]}`}
      </p>
      {renderBody()}
    </section>
  );
}

export function ProgressBar({ progress, label }: { progress: Progress; label: string }) {
  const fraction = progress.total > 0 ? progress.done / progress.total : 0;
  return (
    <div className="progress">
      <div
        className="progress__track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={progress.done}
        aria-valuetext={`${progress.done} of ${progress.total} tickets done`}
      >
        <span className="progress__bar" style={{ width: `${fraction * 100}%` }} />
      </div>
      <p className="progress__text">
        {progress.done} of {progress.total} tickets done ({formatPercent(fraction)})
      </p>
    </div>
  );
}
