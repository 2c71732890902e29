import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { ticketKey } from '@/lib/query-keys';
import type { Ticket } from '@/types/api';

/** Under the tickets root, so every ticket mutation refreshes the open ticket page too. */
export function getTicketQueryKey(id: number) {
  return ticketKey(id);
}

export function getTicket(id: number, signal?: AbortSignal): Promise<Ticket> {
  return apiFetch<Ticket>(`/api/tickets/${id}/`, { signal });
}

export function getTicketQueryOptions(id: number) {
  return queryOptions({
    queryKey: getTicketQueryKey(id),
    queryFn: ({ signal }) => getTicket(id, signal),
  });
}

export function useTicket(id: number) {
  return useQuery(getTicketQueryOptions(id));
}
