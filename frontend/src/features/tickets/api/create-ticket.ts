import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { STATS_KEY, TICKETS_KEY } from '@/lib/query-keys';
import type { Category, Priority, Ticket } from '@/types/api';

export type CreateTicketInput = {
  title: string;
  description: string;
  category?: Category;
  priority?: Priority;
  ai_category?: Category;
  ai_priority?: Priority;
  ai_confidence?: number;
  ai_category_confidence?: number;
  ai_priority_confidence?: number;
  ai_reasoning?: string;
  ai_provider?: string;
};

export function createTicket(data: CreateTicketInput): Promise<Ticket> {
  return apiFetch<Ticket>('/api/tickets/', { method: 'POST', body: data });
}

export function useCreateTicket() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTicket,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: TICKETS_KEY }),
        queryClient.invalidateQueries({ queryKey: STATS_KEY }),
      ]),
  });
}
