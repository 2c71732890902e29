import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { STATS_KEY, TICKETS_KEY, ticketKey } from '@/lib/query-keys';
import type { Ticket } from '@/types/api';

/** Closes `id` as a duplicate of `into`; the answer is the closed ticket. */
export function mergeTicket(id: number, into: number): Promise<Ticket> {
  return apiFetch<Ticket>(`/api/tickets/${id}/merge`, { method: 'POST', body: { into } });
}

export function useMergeTicket(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (into: number) => mergeTicket(id, into),
    onSuccess: (ticket) => {
      // The ticket's page shows the merge at once, without waiting for a refetch.
      queryClient.setQueryData(ticketKey(id), ticket);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: TICKETS_KEY }),
        queryClient.invalidateQueries({ queryKey: STATS_KEY }),
      ]);
    },
  });
}
