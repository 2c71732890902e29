import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { EmptyState } from '@/components/empty-state';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { RelativeTime } from '@/components/relative-time';
import { paths } from '@/config/paths';
import { ProblemError } from '@/lib/api-client';
import type { Ticket } from '@/types/api';
import { useTicket } from '../api/get-ticket';
import { AiTriagePanel } from './ai-triage-panel';
import { StatusSelect } from './status-select';
import { TicketLabelEditor } from './ticket-label-editor';
import { TicketLabels } from './ticket-labels';

/** Set by the list's links, so "back" returns to the same filters and page. */
export type TicketLinkState = { backTo?: string };

/**
 * Panels other features add to the page (the app composes them; features don't import
 * each other): `main` goes under the description, `side` under the labels.
 */
export type TicketPanels = {
  main?: (ticket: Ticket) => ReactNode;
  side?: (ticket: Ticket) => ReactNode;
};

type TicketDetailProps = {
  id: number;
  panels?: TicketPanels;
};

export function TicketDetail({ id, panels = {} }: TicketDetailProps) {
  const ticket = useTicket(id);
  const location = useLocation();
  const backTo = listUrlFrom(location.state);

  const back = (
    <Link to={backTo} className="back-link">
      ← All tickets
    </Link>
  );

  if (!ticket.data) {
    return (
      <>
        <title>{`Ticket #${id} · Supportdesk`}</title>
        {back}
        <div className="page-header">
          <h1>Ticket #{id}</h1>
        </div>
        {ticket.isPending ? (
          <Loading label="Loading ticket…" />
        ) : ticket.error instanceof ProblemError && ticket.error.status === 404 ? (
          <EmptyState title={`There is no ticket #${id}.`}>
            <p>It may have been removed, or the link is wrong.</p>
            <Link to={paths.tickets}>Go to the tickets</Link>
          </EmptyState>
        ) : (
          <ErrorAlert error={ticket.error} onRetry={() => void ticket.refetch()} />
        )}
      </>
    );
  }

  return (
    <>
      <title>{`${ticket.data.title} · Supportdesk`}</title>
      {back}
      {ticket.error && <ErrorAlert error={ticket.error} onRetry={() => void ticket.refetch()} />}
      <TicketView ticket={ticket.data} panels={panels} />
    </>
  );
}

function TicketView({ ticket, panels }: { ticket: Ticket; panels: TicketPanels }) {
  return (
    <article className="ticket-page" aria-labelledby="ticket-page-title">
      <div className="page-header ticket-page__header">
        <div className="ticket-page__heading">
          <h1 id="ticket-page-title" dir="auto">
            {ticket.title}
          </h1>
          <p className="ticket-page__meta">
            #{ticket.id} · opened <RelativeTime iso={ticket.created_at} />
            {ticket.updated_at !== ticket.created_at && (
              <>
                {' '}
                · updated <RelativeTime iso={ticket.updated_at} />
              </>
            )}
          </p>
        </div>
        <StatusSelect ticket={ticket} />
      </div>
      <TicketLabels ticket={ticket} />
      <div className="ticket-page__body">
        <div className="ticket-page__main">
          <section
            className="card panel ticket-page__description"
            aria-labelledby="description-title"
          >
            <h2 id="description-title" className="panel__title">
              Description
            </h2>
            <p className="ticket-page__text" dir="auto">
              {ticket.description}
            </p>
          </section>
          {panels.main?.(ticket)}
        </div>
        <div className="ticket-page__side">
          <TicketLabelEditor ticket={ticket} />
          {panels.side?.(ticket)}
          <AiTriagePanel ticket={ticket} />
        </div>
      </div>
    </article>
  );
}

/** Only a list URL is trusted as the way back; anything else falls back to the plain list. */
function listUrlFrom(state: unknown): string {
  const backTo = (state as TicketLinkState | null)?.backTo;
  return typeof backTo === 'string' && backTo.startsWith(paths.tickets) ? backTo : paths.tickets;
}
