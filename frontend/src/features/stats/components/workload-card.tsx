import { Link } from 'react-router';
import { Badge } from '@/components/badge';
import type { AgentLoad } from '../api/get-workload';
import { TO_DO, ticketsLink } from '../utils/ticket-links';

/** One person's share of the backlog; each figure opens the tickets it counts. */
export function WorkloadCard({ agent }: { agent: AgentLoad }) {
  const nameId = `agent-${agent.user_id}-name`;
  const figures = [
    {
      label: 'Open',
      value: agent.open,
      to: ticketsLink({ assignee: agent.user_id, status: TO_DO }),
    },
    {
      label: 'Needs review',
      value: agent.needs_review,
      to: ticketsLink({ assignee: agent.user_id, needs_review: 'true', status: TO_DO }),
    },
    {
      label: 'Breached',
      value: agent.breached,
      to: ticketsLink({ assignee: agent.user_id, sla: 'breached' }),
    },
  ];
  return (
    <li className="card workload" aria-labelledby={nameId}>
      <div className="workload__head">
        <h3 id={nameId} className="workload__name" dir="auto">
          {agent.name}
        </h3>
        {agent.status !== 'active' && <Badge tone={`person-${agent.status}`}>{agent.status}</Badge>}
      </div>
      <dl className="workload__figures">
        {figures.map((figure) => (
          <div
            key={figure.label}
            className={
              figure.label === 'Breached' && figure.value > 0
                ? 'workload__figure workload__figure--alarm'
                : 'workload__figure'
            }
          >
            <dt>{figure.label}</dt>
            <dd>
              <Link
                to={figure.to}
                aria-label={`${agent.name}: ${figure.value} ${figure.label.toLowerCase()}`}
              >
                {figure.value}
              </Link>
            </dd>
          </div>
        ))}
      </dl>
    </li>
  );
}
