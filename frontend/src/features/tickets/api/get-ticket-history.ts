import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { ticketKey } from '@/lib/query-keys';
import type { components } from '@/types/openapi';

export type HistoryEntry = components['schemas']['HistoryEntry'];

/** Under the ticket's key: a live event about the ticket, or a change made here, refreshes it. */
export function getTicketHistoryQueryKey(id: number) {
  return [...ticketKey(id), 'history'] as const;
}

export function getTicketHistory(id: number, signal?: AbortSignal): Promise<HistoryEntry[]> {
  return apiFetch<HistoryEntry[]>(`/api/tickets/${id}/history`, { signal });
}

export function useTicketHistory(id: number) {
  return useQuery(
    queryOptions({
      queryKey: getTicketHistoryQueryKey(id),
      queryFn: ({ signal }) => getTicketHistory(id, signal),
    }),
  );
}
