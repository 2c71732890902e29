import '@/workspace.css';
import { AnalysisOverview } from '@/features/analysis/components/analysis-overview';

export function Component() {
  return (
    <>
      <title>Analysis · Supportdesk</title>
      <div className="page-header">
        <h1>Analysis</h1>
        <p className="page-header__lead">
          Classify a batch of tickets and get an executive summary: what changed since the last
          run, the main themes, and the critical tickets.
        </p>
      </div>
      <AnalysisOverview />
    </>
  );
}
