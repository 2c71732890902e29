import { Link, useLocation } from 'react-router';
import { AiMark } from '@/components/ai-mark';
import { Badge } from '@/components/badge';
import { DueCountdown } from '@/components/due-countdown';
import { RelativeTime } from '@/components/relative-time';
import { ticketPath } from '@/config/paths';
import { CATEGORY_LABELS, PRIORITY_LABELS } from '@/lib/labels';
import { useTeamLabel } from '@/lib/teams';
import type { Ticket } from '@/types/api';
import { describeAiLabels } from '../utils/ai-triage';
import { AssignToMeButton } from './assign-to-me-button';
import { AssigneeName } from './assignee-name';
import { StatusSelect } from './status-select';
import { ticketLinkId, type TicketRowProps } from './ticket-card';
import type { TicketLinkState } from './ticket-detail';

type TicketTableProps = {
  tickets: Ticket[];
  busy: boolean;
  row: (ticket: Ticket) => Omit<TicketRowProps, 'ticket'>;
  allSelected: boolean;
  someSelected: boolean;
  onToggleAll: () => void;
};

/** The dense list: one line a ticket, so a screenful holds many. */
export function TicketTable({
  tickets,
  busy,
  row,
  allSelected,
  someSelected,
  onToggleAll,
}: TicketTableProps) {
  return (
    <div className="table-scroll">
      <table className="data-table ticket-table" aria-busy={busy}>
        <caption className="visually-hidden">Tickets</caption>
        <thead>
          <tr>
            <th scope="col" className="ticket-table__select">
              <input
                type="checkbox"
                aria-label="Select all tickets on this page"
                checked={allSelected}
                ref={(box) => {
                  if (box) box.indeterminate = someSelected && !allSelected;
                }}
                onChange={onToggleAll}
              />
            </th>
            <th scope="col" className="data-table__number">
              #
            </th>
            <th scope="col">Title</th>
            <th scope="col">Status</th>
            <th scope="col">Priority</th>
            <th scope="col" className="data-table__optional">
              Category
            </th>
            <th scope="col" className="data-table__optional">
              Team
            </th>
            <th scope="col">Assignee</th>
            <th scope="col" className="data-table__optional">
              Due
            </th>
            <th scope="col" className="data-table__optional">
              Opened
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tickets.map((ticket) => (
            <TicketTableRow key={ticket.id} ticket={ticket} {...row(ticket)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TicketTableRow({ ticket, selected, onToggleSelected, active, readOnly }: TicketRowProps) {
  const location = useLocation();
  const formatTeam = useTeamLabel();
  const linkState: TicketLinkState = { backTo: location.pathname + location.search };
  const ai = describeAiLabels(ticket);
  const awaitsResponse = ticket.status === 'open' || ticket.status === 'in_progress';
  const classes = ['ticket-row', active && 'is-active', selected && 'is-selected'].filter(Boolean);

  return (
    <tr className={classes.join(' ')} data-ticket-id={ticket.id}>
      <td className="ticket-table__select">
        <input
          type="checkbox"
          aria-label={`Select ticket #${ticket.id}`}
          checked={selected}
          onChange={onToggleSelected}
        />
      </td>
      <td className="data-table__number">{ticket.id}</td>
      <th scope="row" className="ticket-table__title">
        <span className="ticket-table__line">
          <Link
            id={ticketLinkId(ticket.id)}
            to={ticketPath(ticket.id)}
            state={linkState}
            className="ticket__link"
            dir="auto"
            title={ticket.title}
          >
            {ticket.title}
          </Link>
          <span className="ticket-table__marks">
            {ai && <AiMark confidence={ai.confidence} subject={ai.subject} />}
            {ticket.needs_review && <Badge tone="review">Review</Badge>}
            {ticket.duplicate_of !== null && (
              <Badge tone="merged">Merged #{ticket.duplicate_of}</Badge>
            )}
          </span>
        </span>
      </th>
      <td>
        <StatusSelect ticket={ticket} readOnly={readOnly} />
      </td>
      <td>
        <Badge tone={`priority-${ticket.priority}`}>{PRIORITY_LABELS[ticket.priority]}</Badge>
      </td>
      <td className="data-table__optional">{CATEGORY_LABELS[ticket.category]}</td>
      <td className="data-table__optional">{ticket.team ? formatTeam(ticket.team) : '—'}</td>
      <td>
        <AssigneeName assigneeId={ticket.assignee_id} />
      </td>
      <td className="data-table__optional">
        {ticket.sla_breached && awaitsResponse ? (
          <Badge tone="breached">Breached</Badge>
        ) : ticket.due_at && awaitsResponse ? (
          <DueCountdown iso={ticket.due_at} breached={ticket.sla_breached} />
        ) : (
          '—'
        )}
      </td>
      <td className="data-table__optional ticket-table__when">
        <RelativeTime iso={ticket.created_at} />
      </td>
      <td className="ticket-table__actions">
        {!readOnly && <AssignToMeButton ticket={ticket} />}
      </td>
    </tr>
  );
}
