import { useMutation, useQueryClient } from '@tanstack/react-query';
import { mergeTicket } from '@/lib/merge-ticket';
import { STATS_KEY, TICKETS_KEY, ticketKey } from '@/lib/query-keys';

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
