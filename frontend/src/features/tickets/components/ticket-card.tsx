import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { RelativeTime } from '@/components/relative-time';
import { ticketPath } from '@/config/paths';
import type { Ticket } from '@/types/api';
import { StatusSelect } from './status-select';
import type { TicketLinkState } from './ticket-detail';
import { TicketLabels } from './ticket-labels';

const COLLAPSE_OVER_CHARS = 160;
const COLLAPSE_OVER_LINES = 2;

export function TicketCard({ ticket }: { ticket: Ticket }) {
  const [expanded, setExpanded] = useState(false);
  const location = useLocation();
  // The ticket page links back to this very list: same filters, same page.
  const linkState: TicketLinkState = { backTo: location.pathname + location.search };
  const collapsible =
    ticket.description.length > COLLAPSE_OVER_CHARS ||
    ticket.description.split('\n').length > COLLAPSE_OVER_LINES;
  const titleId = `ticket-${ticket.id}-title`;
  const descriptionId = `ticket-${ticket.id}-description`;

  return (
    <li className="ticket">
      <article aria-labelledby={titleId}>
        <div className="ticket__header">
          <h2 id={titleId} className="ticket__title" dir="auto">
            <Link to={ticketPath(ticket.id)} state={linkState} className="ticket__link">
              {ticket.title}
            </Link>
          </h2>
          <StatusSelect ticket={ticket} />
        </div>
        <TicketLabels ticket={ticket} />
        <p
          id={descriptionId}
          dir="auto"
          className={
            collapsible && !expanded ? 'ticket__description is-clamped' : 'ticket__description'
          }
        >
          {ticket.description}
        </p>
        <div className="ticket__meta">
          <span>
            #{ticket.id} · opened <RelativeTime iso={ticket.created_at} />
          </span>
          {collapsible && (
            <button
              type="button"
              className="button button--link"
              aria-expanded={expanded}
              aria-controls={descriptionId}
              onClick={() => setExpanded(!expanded)}
            >
              {expanded ? 'Show less' : 'Show full description'}
            </button>
          )}
        </div>
      </article>
    </li>
  );
}
