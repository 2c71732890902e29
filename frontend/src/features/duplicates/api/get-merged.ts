import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { MERGED_PART, ticketKey } from '@/lib/query-keys';
import type { Ticket } from '@/types/api';

export type Merged = {
  ticket_id: number;
  /** Tickets closed as duplicates of this one, oldest first. */
  results: Ticket[];
};

export function getMergedQueryOptions(id: number) {
  return queryOptions({
    queryKey: [...ticketKey(id), MERGED_PART] as const,
    queryFn: ({ signal }) => apiFetch<Merged>(`/api/tickets/${id}/merged`, { signal }),
  });
}

export function useMerged(id: number) {
  return useQuery(getMergedQueryOptions(id));
}
