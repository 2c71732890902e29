import '@/workspace.css';
import { StatsDashboard } from '@/features/stats/components/stats-dashboard';

export function Component() {
  return (
    <>
      <title>Dashboard · Supportdesk</title>
      <div className="page-header">
        <h1>Dashboard</h1>
      </div>
      <StatsDashboard />
    </>
  );
}
