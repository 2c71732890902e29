import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { TICKET_LISTS_KEY } from '@/lib/query-keys';
import type { ViewCounts } from '../utils/ticket-views';

/**
 * Under the lists' key: whatever refreshes the lists (a live event, a change made here)
 * refreshes the counts of the saved views too.
 */
export const TICKET_VIEWS_KEY = [...TICKET_LISTS_KEY, 'views'] as const;

export function getTicketViews(signal?: AbortSignal): Promise<ViewCounts> {
  return apiFetch<ViewCounts>('/api/tickets/views', { signal });
}

export function useTicketViews() {
  return useQuery(
    queryOptions({ queryKey: TICKET_VIEWS_KEY, queryFn: ({ signal }) => getTicketViews(signal) }),
  );
}
