import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { RelativeTime } from '@/components/relative-time';
import { ticketPath } from '@/config/paths';
import type { Ticket } from '@/types/api';
import { AssignToMeButton } from './assign-to-me-button';
import { AssigneeName } from './assignee-name';
import { StatusSelect } from './status-select';
import type { TicketLinkState } from './ticket-detail';
import { TicketLabels } from './ticket-labels';

const COLLAPSE_OVER_CHARS = 160;
const COLLAPSE_OVER_LINES = 2;

/** What a row of the list (a card or a table row) is told by the list around it. */
export type TicketRowProps = {
  ticket: Ticket;
  selected: boolean;
  onToggleSelected: () => void;
  /** The row j/k are on. */
  active: boolean;
  readOnly: boolean;
};

export function ticketLinkId(id: number): string {
  return `ticket-${id}-link`;
}

export function TicketCard({
  ticket,
  selected,
  onToggleSelected,
  active,
  readOnly,
}: TicketRowProps) {
  const [expanded, setExpanded] = useState(false);
  const location = useLocation();
  // The ticket page links back to this very list: same filters, same page.
  const linkState: TicketLinkState = { backTo: location.pathname + location.search };
  const collapsible =
    ticket.description.length > COLLAPSE_OVER_CHARS ||
    ticket.description.split('\n').length > COLLAPSE_OVER_LINES;
  const titleId = `ticket-${ticket.id}-title`;
  const descriptionId = `ticket-${ticket.id}-description`;
  const classes = ['ticket', active && 'is-active', selected && 'is-selected'].filter(Boolean);

  return (
    <li className={classes.join(' ')} data-ticket-id={ticket.id}>
      <article aria-labelledby={titleId}>
        <div className="ticket__header">
          <input
            type="checkbox"
            className="ticket__select"
            aria-label={`Select ticket #${ticket.id}`}
            checked={selected}
            onChange={onToggleSelected}
          />
          <h2 id={titleId} className="ticket__title" dir="auto">
            <Link
              id={ticketLinkId(ticket.id)}
              to={ticketPath(ticket.id)}
              state={linkState}
              className="ticket__link"
            >
              {ticket.title}
            </Link>
          </h2>
          <StatusSelect ticket={ticket} readOnly={readOnly} />
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
            #{ticket.id} · opened <RelativeTime iso={ticket.created_at} /> ·{' '}
            <AssigneeName assigneeId={ticket.assignee_id} />
          </span>
          <span className="ticket__actions">
            {!readOnly && <AssignToMeButton ticket={ticket} />}
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
          </span>
        </div>
      </article>
    </li>
  );
}
