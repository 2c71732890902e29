import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch, toSearchParams } from '@/lib/api-client';
import { TICKET_LISTS_KEY } from '@/lib/query-keys';
import type { Page, Ticket } from '@/types/api';
import type { TicketFilters } from '../utils/ticket-filters';

export function getTickets(filters: TicketFilters, signal?: AbortSignal): Promise<Page<Ticket>> {
  const query = toSearchParams({
    page: filters.page,
    page_size: filters.pageSize,
    category: filters.category.join(','),
    priority: filters.priority.join(','),
    status: filters.status.join(','),
    team: filters.team.join(','),
    search: filters.search.trim(),
    assignee: filters.assignee,
    needs_review: filters.needsReview ? 'true' : undefined,
    sla: filters.sla,
    ordering: filters.ordering,
  });
  return apiFetch<Page<Ticket>>(`/api/tickets/${query}`, { signal });
}

export function getTicketsQueryKey(filters: TicketFilters) {
  return [...TICKET_LISTS_KEY, filters] as const;
}

export function getTicketsQueryOptions(filters: TicketFilters) {
  return queryOptions({
    queryKey: getTicketsQueryKey(filters),
    queryFn: ({ signal }) => getTickets(filters, signal),
    // Keeps the current page on screen while the next one loads, instead of a flash of spinner.
    placeholderData: keepPreviousData,
  });
}

export function useTickets(filters: TicketFilters) {
  return useQuery(getTicketsQueryOptions(filters));
}
