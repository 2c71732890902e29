import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { EmptyState } from '@/components/empty-state';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { Pagination } from '@/components/pagination';
import { Toaster } from '@/components/toaster';
import { paths, ticketPath } from '@/config/paths';
import { ProblemError, toSearchParams } from '@/lib/api-client';
import { canWork, useMe } from '@/lib/current-user';
import { isActivatable, useShortcuts } from '@/lib/keyboard';
import { useStoredFlag } from '@/lib/use-stored-state';
import type { Ticket } from '@/types/api';
import { useTickets } from '../api/get-tickets';
import { useAssignToMe } from '../hooks/use-assign-to-me';
import { useChangeStatus } from '../hooks/use-change-status';
import { useTicketFilters } from '../hooks/use-ticket-filters';
import { hasActiveFilters, PAGE_SIZES, type TicketFilters } from '../utils/ticket-filters';
import { BulkActions } from './bulk-actions';
import { SavedViews } from './saved-views';
import { LIST_SHORTCUTS, ShortcutsHelp } from './shortcuts-help';
import { TicketCard, ticketLinkId, type TicketRowProps } from './ticket-card';
import type { TicketLinkState } from './ticket-detail';
import { TicketFiltersBar } from './ticket-filters-bar';
import { TicketTable } from './ticket-table';

const DENSE_KEY = 'supportdesk.tickets.dense';

export function TicketBrowser() {
  const { filters, setFilters, setPage, hrefFor } = useTicketFilters();
  const tickets = useTickets(filters);
  const me = useMe().data;
  const readOnly = me !== undefined && !canWork(me);
  const [dense, setDense] = useStoredFlag(DENSE_KEY, false);
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<number>>(new Set());
  const [activeId, setActiveId] = useState<number | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const changeStatus = useChangeStatus();
  const { assignToMe } = useAssignToMe();
  // A search the server cannot run is the search box's problem, said under the box.
  const searchErrors =
    tickets.error instanceof ProblemError ? tickets.error.fieldErrors.search : undefined;

  const results = tickets.data?.results ?? [];
  // Only what is on screen counts as selected: a ticket that left the page is not acted on.
  const selected = results.filter((ticket) => selectedIds.has(ticket.id));
  const activeIndex = results.findIndex((ticket) => ticket.id === activeId);
  const active = activeIndex >= 0 ? results[activeIndex] : undefined;

  function toggleSelected(id: number) {
    setSelectedIds((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }

  function toggleAll() {
    setSelectedIds(
      selected.length === results.length ? new Set() : new Set(results.map((ticket) => ticket.id)),
    );
  }

  function moveTo(index: number) {
    const ticket = results[Math.max(0, Math.min(results.length - 1, index))];
    if (!ticket) return;
    setActiveId(ticket.id);
    // Focus follows, so the row scrolls into view and a screen reader reads its title.
    document.getElementById(ticketLinkId(ticket.id))?.focus();
  }

  function open(ticket: Ticket) {
    const state: TicketLinkState = { backTo: location.pathname + location.search };
    void navigate(ticketPath(ticket.id), { state });
  }

  useShortcuts(
    {
      j: () => moveTo(activeIndex < 0 ? 0 : activeIndex + 1),
      k: () => moveTo(activeIndex < 0 ? 0 : activeIndex - 1),
      Enter: (event) => {
        // A focused link or button does its own thing on Enter.
        if (!active || isActivatable(event.target)) return;
        event.preventDefault();
        open(active);
      },
      x: () => active && toggleSelected(active.id),
      e: () => {
        if (!active || readOnly || changeStatus.isPending) return;
        changeStatus.mutate({ tickets: [active], status: 'resolved' });
      },
      a: () => active && !readOnly && assignToMe(active),
      '/': (event) => {
        event.preventDefault();
        document.getElementById('ticket-search')?.focus();
      },
      '?': () => setHelpOpen(true),
    },
    !helpOpen,
  );

  function goToPage(page: number) {
    setPage(page);
    // The pager sits below the list; the new page should start from its top.
    window.scrollTo({ top: 0 });
  }

  function rowProps(ticket: Ticket): Omit<TicketRowProps, 'ticket'> {
    return {
      selected: selectedIds.has(ticket.id),
      onToggleSelected: () => toggleSelected(ticket.id),
      active: ticket.id === activeId,
      readOnly,
    };
  }

  function renderResults() {
    if (tickets.isPending) return <Loading label="Loading tickets…" />;
    if (searchErrors) return null;
    if (!tickets.data) {
      // The server answers 404 for a page past the end, e.g. after filters shrank the list.
      if (
        tickets.error instanceof ProblemError &&
        tickets.error.status === 404 &&
        filters.page > 1
      ) {
        return (
          <EmptyState title={`There is no page ${filters.page} any more.`}>
            <button type="button" className="button" onClick={() => setPage(1)}>
              Go to the first page
            </button>
          </EmptyState>
        );
      }
      return <ErrorAlert error={tickets.error} onRetry={() => void tickets.refetch()} />;
    }

    const { count } = tickets.data;
    if (count === 0) {
      return hasActiveFilters(filters) ? (
        <EmptyState title="No tickets match these filters.">
          <p>Try fewer filters or a different search.</p>
        </EmptyState>
      ) : (
        <EmptyState title="No tickets yet.">
          <Link to={paths.newTicket}>Create the first one</Link>
        </EmptyState>
      );
    }

    const first = (filters.page - 1) * filters.pageSize + 1;
    const last = first + results.length - 1;
    // Past a thousand matches of a search, the server gives its database's estimate.
    const estimated = tickets.data.count_estimated;
    const total = estimated ? `about ${count.toLocaleString('en')}` : String(count);
    const pageCount = Math.max(
      filters.page + (tickets.data.next ? 1 : 0),
      Math.ceil(count / filters.pageSize),
    );
    return (
      <>
        {tickets.error && (
          <ErrorAlert error={tickets.error} onRetry={() => void tickets.refetch()} />
        )}
        {dense ? (
          <TicketTable
            tickets={results}
            busy={tickets.isPlaceholderData}
            row={rowProps}
            allSelected={selected.length === results.length}
            someSelected={selected.length > 0}
            onToggleAll={toggleAll}
          />
        ) : (
          <ul className="ticket-list" aria-busy={tickets.isPlaceholderData}>
            {results.map((ticket) => (
              <TicketCard key={ticket.id} ticket={ticket} {...rowProps(ticket)} />
            ))}
          </ul>
        )}
        <p className="results-summary">
          Showing {first}–{last} of {total}
          {me?.role === 'admin' && (
            <>
              {' · '}
              <Link to={analysisLink(filters)}>
                {count === 1 && !estimated
                  ? 'Analyse this ticket'
                  : `Analyse these ${estimated ? '' : `${count} `}tickets`}
              </Link>
            </>
          )}
        </p>
        <Pagination
          page={filters.page}
          pageCount={pageCount}
          onPageChange={goToPage}
        />
      </>
    );
  }

  return (
    <div className={dense ? 'browser browser--dense' : 'browser'}>
      <div className="browser__bar">
        <SavedViews filters={filters} hrefFor={hrefFor} />
        <div className="list-toolbar__display">
          <button
            type="button"
            className="button button--secondary button--small"
            aria-pressed={dense}
            onClick={() => setDense(!dense)}
          >
            Dense table
          </button>
          <label htmlFor="ticket-page-size" className="visually-hidden">
            Per page
          </label>
          <select
            id="ticket-page-size"
            value={filters.pageSize}
            onChange={(event) => setFilters({ pageSize: Number(event.target.value) })}
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size} a page
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button button--secondary button--small list-toolbar__help"
            aria-keyshortcuts="?"
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
            onClick={() => setHelpOpen(true)}
          >
            ?
          </button>
        </div>
      </div>
      <TicketFiltersBar filters={filters} onChange={setFilters} searchErrors={searchErrors} />
      {(selected.length > 0 || (!dense && results.length > 0)) && (
        <div className="list-toolbar">
          {!dense && results.length > 0 && (
            <label className="list-toolbar__all">
              <input
                type="checkbox"
                checked={selected.length === results.length}
                ref={(box) => {
                  if (box) {
                    box.indeterminate = selected.length > 0 && selected.length < results.length;
                  }
                }}
                onChange={toggleAll}
              />
              Select all on this page
            </label>
          )}
          {selected.length > 0 && (
            <BulkActions
              selected={selected}
              onClear={() => setSelectedIds(new Set())}
              readOnly={readOnly}
            />
          )}
        </div>
      )}
      <section className="browser__results" aria-label="Results">
        <p role="status" className="visually-hidden">
          {tickets.data &&
            `${tickets.data.count_estimated ? 'about ' : ''}${tickets.data.count} tickets found`}
        </p>
        {renderResults()}
      </section>
      {helpOpen && <ShortcutsHelp shortcuts={LIST_SHORTCUTS} onClose={() => setHelpOpen(false)} />}
      <Toaster />
    </div>
  );
}

/** The Analysis page, set to start a run over the tickets these filters select. */
function analysisLink(filters: TicketFilters): string {
  const query = toSearchParams({
    status: filters.status.join(','),
    category: filters.category.join(','),
    priority: filters.priority.join(','),
    team: filters.team.join(','),
    search: filters.search.trim(),
  });
  return `${paths.analysis}${query}`;
}
