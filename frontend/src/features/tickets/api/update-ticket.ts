import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { STATS_KEY, TICKETS_KEY } from '@/lib/query-keys';
import type { Ticket } from '@/types/api';
import { getTicketQueryKey } from './get-ticket';

export type UpdateTicketInput = Partial<Pick<Ticket, 'status' | 'category' | 'priority'>>;

export function updateTicket(id: number, data: UpdateTicketInput): Promise<Ticket> {
  return apiFetch<Ticket>(`/api/tickets/${id}/`, { method: 'PATCH', body: data });
}

export function useUpdateTicket(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (data: UpdateTicketInput) => updateTicket(id, data),
    onSuccess: (ticket) => {
      // The answer is the whole ticket: the ticket page shows it without waiting for a refetch.
      queryClient.setQueryData(getTicketQueryKey(id), ticket);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: TICKETS_KEY }),
        queryClient.invalidateQueries({ queryKey: STATS_KEY }),
      ]);
    },
  });
}
