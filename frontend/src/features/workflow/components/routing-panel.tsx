import { Badge } from '@/components/badge';
import { DueCountdown } from '@/components/due-countdown';
import { FactRow } from '@/components/fact-row';
import { STATUS_LABELS } from '@/lib/labels';
import { useTeamLabel } from '@/lib/teams';
import { formatExactTime } from '@/lib/relative-time';
import type { Ticket } from '@/types/api';
import type { StoredRouting } from '../api/get-ticket-workflow';
import { WorkflowPanel } from './workflow-part';

/** Which team the ticket went to and why, the runners-up, and when a response is due. */
export function RoutingPanel({ ticket }: { ticket: Ticket }) {
  return (
    <WorkflowPanel title="Routing" ticketId={ticket.id} part="routing" processing="Routing…">
      {(routing) => <RoutingFacts routing={routing} status={ticket.status} />}
    </WorkflowPanel>
  );
}

export function RoutingFacts({
  routing,
  status,
}: {
  routing: StoredRouting;
  status: Ticket['status'];
}) {
  const formatTeam = useTeamLabel();
  const awaitsResponse = status === 'open' || status === 'in_progress';
  return (
    <dl className="facts">
      <FactRow label="Team">
        {routing.team ? (
          <strong>{formatTeam(routing.team)}</strong>
        ) : (
          <span className="panel__muted">None</span>
        )}
      </FactRow>
      <FactRow label="Due">
        {!routing.due_at ? (
          <span className="panel__muted">No SLA</span>
        ) : (
          <>
            {awaitsResponse ? (
              <DueCountdown iso={routing.due_at} breached={routing.sla_breached} />
            ) : routing.sla_breached ? (
              <Badge tone="breached">SLA breached</Badge>
            ) : (
              <span>{STATUS_LABELS[status]} before it was due</span>
            )}
            <span className="facts__note panel__muted">
              {formatExactTime(new Date(routing.due_at))}
            </span>
          </>
        )}
      </FactRow>
      <FactRow label="Alternatives">
        {routing.alternatives.length === 0 ? (
          <span className="panel__muted">None</span>
        ) : (
          <ul className="team-list" aria-label="Alternative teams">
            {routing.alternatives.map((team) => (
              <li key={team}>
                <Badge tone="team">{formatTeam(team)}</Badge>
              </li>
            ))}
          </ul>
        )}
      </FactRow>
      <FactRow label="Why">
        <span className="facts__reasoning">{routing.reasoning}</span>
      </FactRow>
    </dl>
  );
}
