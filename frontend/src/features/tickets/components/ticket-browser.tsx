import { Link } from 'react-router';
import { EmptyState } from '@/components/empty-state';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { Pagination } from '@/components/pagination';
import { paths } from '@/config/paths';
import { ProblemError, toSearchParams } from '@/lib/api-client';
import { PAGE_SIZE, useTickets } from '../api/get-tickets';
import { useTicketFilters } from '../hooks/use-ticket-filters';
import { hasActiveFilters, type TicketFilters } from '../utils/ticket-filters';
import { TicketCard } from './ticket-card';
import { TicketFiltersBar } from './ticket-filters-bar';

export function TicketBrowser() {
  const { filters, setFilters, setPage } = useTicketFilters();
  const tickets = useTickets(filters);
  // A search the server cannot run is the search box's problem, said under the box.
  const searchErrors =
    tickets.error instanceof ProblemError ? tickets.error.fieldErrors.search : undefined;

  function goToPage(page: number) {
    setPage(page);
    // The pager sits below the list; the new page should start from its top.
    window.scrollTo({ top: 0 });
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

    const { count, results } = tickets.data;
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

    const first = (filters.page - 1) * PAGE_SIZE + 1;
    const last = first + results.length - 1;
    return (
      <>
        {tickets.error && (
          <ErrorAlert error={tickets.error} onRetry={() => void tickets.refetch()} />
        )}
        <ul className="ticket-list" aria-busy={tickets.isPlaceholderData}>
          {results.map((ticket) => (
            <TicketCard key={ticket.id} ticket={ticket} />
          ))}
        </ul>
        <p className="results-summary">
          Showing {first}–{last} of {count}
          {' · '}
          <Link to={analysisLink(filters)}>
            {count === 1 ? 'Analyse this ticket' : `Analyse these ${count} tickets`}
          </Link>
        </p>
        <Pagination
          page={filters.page}
          pageCount={Math.max(1, Math.ceil(count / PAGE_SIZE))}
          onPageChange={goToPage}
        />
      </>
    );
  }

  return (
    <div className="browser">
      <TicketFiltersBar filters={filters} onChange={setFilters} searchErrors={searchErrors} />
      <section className="browser__results" aria-label="Results">
        <p role="status" className="visually-hidden">
          {tickets.data && `${tickets.data.count} tickets found`}
        </p>
        {renderResults()}
      </section>
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
