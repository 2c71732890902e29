import { Link } from 'react-router';
import { AiMark } from '@/components/ai-mark';
import { Badge } from '@/components/badge';
import { DueCountdown } from '@/components/due-countdown';
import { ticketPath } from '@/config/paths';
import { CATEGORY_LABELS, PRIORITY_LABELS } from '@/lib/labels';
import { useTeamLabel } from '@/lib/teams';
import type { Ticket } from '@/types/api';
import { describeAiLabels } from '../utils/ai-triage';

/** The badges a ticket shows on its row and on its page: labels, team, SLA and merge. */
export function TicketLabels({ ticket }: { ticket: Ticket }) {
  const ai = describeAiLabels(ticket);
  // A resolved or closed ticket owes no response: its due time is history, not a countdown.
  const formatTeam = useTeamLabel();
  const awaitsResponse = ticket.status === 'open' || ticket.status === 'in_progress';
  return (
    <div className="ticket__labels">
      <Badge tone={`priority-${ticket.priority}`}>{PRIORITY_LABELS[ticket.priority]}</Badge>
      <Badge tone="category">{CATEGORY_LABELS[ticket.category]}</Badge>
      {ai && <AiMark confidence={ai.confidence} subject={ai.subject} />}
      {ticket.needs_review && <Badge tone="review">Needs review</Badge>}
      {ticket.team && <Badge tone="team">{formatTeam(ticket.team)}</Badge>}
      {ticket.sla_breached && <Badge tone="breached">SLA breached</Badge>}
      {ticket.due_at && awaitsResponse && (
        <DueCountdown iso={ticket.due_at} breached={ticket.sla_breached} />
      )}
      {ticket.duplicate_of !== null && (
        <Badge tone="merged">
          {/* One piece: a badge lays out as flex, which would drop the space before the link. */}
          <span>
            Merged into <Link to={ticketPath(ticket.duplicate_of)}>#{ticket.duplicate_of}</Link>
          </span>
        </Badge>
      )}
    </div>
  );
}
