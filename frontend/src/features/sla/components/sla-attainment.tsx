import { useState } from 'react';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { useTeamLabel } from '@/lib/teams';
import { useSlaAttainment } from '../api/attainment';

const TARGETS = { first_response: 'First response', next_response: 'Next response', resolution: 'Resolution' };
const PERIODS = [7, 30, 90];

/** How often each SLA target was met, per team and priority, over a period. */
export function SlaAttainment() {
  const [days, setDays] = useState(30);
  const attainment = useSlaAttainment(days);
  const formatTeam = useTeamLabel();
  return (
    <section className="card panel" aria-labelledby="sla-attainment">
      <div className="panel__header">
        <h2 id="sla-attainment">SLA attainment</h2>
        <label>
          Period{' '}
          <select value={days} onChange={(event) => setDays(Number(event.target.value))}>
            {PERIODS.map((period) => (
              <option key={period} value={period}>
                last {period} days
              </option>
            ))}
          </select>
        </label>
      </div>
      {attainment.isPending && <Loading label="Loading SLA attainment…" />}
      {attainment.isError && <ErrorAlert error={attainment.error} />}
      {attainment.data && attainment.data.rows.length === 0 && (
        <p className="panel__muted">No tickets arrived in this period.</p>
      )}
      {attainment.data && attainment.data.rows.length > 0 && (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Target</th>
                <th scope="col">Team</th>
                <th scope="col">Priority</th>
                <th scope="col">Met</th>
                <th scope="col">Breached</th>
                <th scope="col">Running</th>
                <th scope="col">Attainment</th>
              </tr>
            </thead>
            <tbody>
              {attainment.data.rows.map((row) => (
                <tr key={`${row.target}-${row.team}-${row.priority}`}>
                  <td>{TARGETS[row.target]}</td>
                  <td>{row.team ? formatTeam(row.team) : 'Not routed'}</td>
                  <td>{row.priority}</td>
                  <td>{row.met}</td>
                  <td>{row.breached}</td>
                  <td>{row.open}</td>
                  <td>{row.attainment === null ? '—' : `${Math.round(row.attainment * 100)}%`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
