import '@/workspace.css';
import { SlaAttainment } from '@/features/sla/components/sla-attainment';
import { StatsDashboard } from '@/features/stats/components/stats-dashboard';

export function Component() {
  return (
    <>
      <title>Dashboard · Supportdesk</title>
      <div className="page-header">
        <h1>Dashboard</h1>
      </div>
      <StatsDashboard />
      <SlaAttainment />
    </>
  );
}
