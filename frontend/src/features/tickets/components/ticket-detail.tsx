import { useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useNavigate } from 'react-router';
import { EmptyState } from '@/components/empty-state';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { RelativeTime } from '@/components/relative-time';
import { Toaster } from '@/components/toaster';
import { paths, ticketPath } from '@/config/paths';
import { ProblemError } from '@/lib/api-client';
import { canWork, useMe } from '@/lib/current-user';
import { useShortcuts } from '@/lib/keyboard';
import type { Page, Ticket } from '@/types/api';
import { useTicket } from '../api/get-ticket';
import { getTicketsQueryKey } from '../api/get-tickets';
import { useAssignToMe } from '../hooks/use-assign-to-me';
import { useChangeStatus } from '../hooks/use-change-status';
import { filtersFromSearch } from '../hooks/use-ticket-filters';
import { AiTriagePanel } from './ai-triage-panel';
import { AssigneePicker } from './assignee-picker';
import { ShortcutsHelp, TICKET_SHORTCUTS } from './shortcuts-help';
import { StatusSelect } from './status-select';
import { TicketLabelEditor } from './ticket-label-editor';
import { TicketLabels } from './ticket-labels';
import { TicketTimeline } from './ticket-timeline';

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

  // 404 also after the ticket was shown: a change (a priority made critical, say) routed
  // it to a team this agent is not in. Its old page would only fail from then on.
  const notFound = ticket.error instanceof ProblemError && ticket.error.status === 404;
  if (!ticket.data || notFound) {
    return (
      <>
        <title>{`Ticket #${id} · Supportdesk`}</title>
        {back}
        <div className="page-header">
          <h1>Ticket #{id}</h1>
        </div>
        {notFound ? (
          <EmptyState title={`There is no ticket #${id} you can see.`}>
            <p>
              {ticket.data
                ? 'It moved to a team you are not in.'
                : 'It may be in a team you are not in, or the link is wrong.'}
            </p>
            <Link to={paths.tickets}>Go to the tickets</Link>
          </EmptyState>
        ) : ticket.isPending ? (
          <Loading label="Loading ticket…" />
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
      <TicketView ticket={ticket.data} panels={panels} backTo={backTo} />
      <Toaster />
    </>
  );
}

type TicketViewProps = { ticket: Ticket; panels: TicketPanels; backTo: string };

function TicketView({ ticket, panels, backTo }: TicketViewProps) {
  const me = useMe().data;
  const readOnly = me !== undefined && !canWork(me);
  const [helpOpen, setHelpOpen] = useState(false);
  const changeStatus = useChangeStatus();
  const { assignToMe } = useAssignToMe();
  const navigate = useNavigate();
  const neighbour = useNeighbours(ticket.id, backTo);

  function go(id: number | undefined) {
    if (id === undefined) return;
    const state: TicketLinkState = { backTo };
    void navigate(ticketPath(id), { state });
  }

  useShortcuts(
    {
      j: () => go(neighbour(1)),
      k: () => go(neighbour(-1)),
      e: () => {
        if (readOnly || changeStatus.isPending || ticket.status === 'resolved') return;
        changeStatus.mutate({ tickets: [ticket], status: 'resolved' });
      },
      a: () => !readOnly && assignToMe(ticket),
      r: (event) => {
        // The conversation's composer, a panel another feature adds: found by its mark.
        const composer = document.querySelector<HTMLElement>('[data-reply-composer]');
        if (readOnly || !composer) return;
        event.preventDefault(); // the key focuses the box; it types no "r" into it
        composer.focus();
      },
      u: () => void navigate(backTo),
      '?': () => setHelpOpen(true),
    },
    !helpOpen,
  );

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
        <StatusSelect ticket={ticket} readOnly={readOnly} />
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
          <TicketTimeline ticketId={ticket.id} />
        </div>
        <div className="ticket-page__side">
          <AssigneePicker ticket={ticket} />
          <TicketLabelEditor ticket={ticket} />
          {panels.side?.(ticket)}
          <AiTriagePanel ticket={ticket} />
        </div>
      </div>
      <p className="ticket-page__shortcuts">
        <button type="button" className="button button--link" onClick={() => setHelpOpen(true)}>
          Keyboard shortcuts
        </button>
      </p>
      {helpOpen && (
        <ShortcutsHelp shortcuts={TICKET_SHORTCUTS} onClose={() => setHelpOpen(false)} />
      )}
    </article>
  );
}

/**
 * The tickets before and after this one on the page of the list it was opened from, when that
 * page is still in the cache: j and k walk the list without going back to it.
 */
function useNeighbours(id: number, backTo: string): (step: 1 | -1) => number | undefined {
  const queryClient = useQueryClient();
  return (step) => {
    const search = backTo.includes('?') ? backTo.slice(backTo.indexOf('?')) : '';
    const key = getTicketsQueryKey(filtersFromSearch(search));
    const page = queryClient.getQueryData<Page<Ticket>>(key);
    const results = page?.results ?? [];
    const index = results.findIndex((ticket) => ticket.id === id);
    return index < 0 ? undefined : results[index + step]?.id;
  };
}

/** Only a list URL is trusted as the way back; anything else falls back to the plain list. */
function listUrlFrom(state: unknown): string {
  const backTo = (state as TicketLinkState | null)?.backTo;
  return typeof backTo === 'string' && backTo.startsWith(paths.tickets) ? backTo : paths.tickets;
}
