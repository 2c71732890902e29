import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { ticketKey } from '@/lib/query-keys';
import type { components } from '@/types/openapi';

export type TicketSla = components['schemas']['TicketSlaOut'];
export type SlaTarget = components['schemas']['TargetOut'];

/** Under the ticket's key: a live change of the ticket refreshes it. */
export function useTicketSla(ticketId: number) {
  return useQuery(
    queryOptions({
      queryKey: [...ticketKey(ticketId), 'sla'],
      queryFn: ({ signal }) => apiFetch<TicketSla>(`/api/tickets/${ticketId}/sla`, { signal }),
    }),
  );
}
