import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch, ProblemError } from '@/lib/api-client';
import { STATS_KEY, TICKETS_KEY, ticketKey } from '@/lib/query-keys';
import type { components } from '@/types/openapi';
import type { Ticket } from '@/types/api';

export type AssigneeChange = components['schemas']['AssigneeChange'];

/**
 * Assign a ticket to someone (null: nobody), naming the assignee this page showed: when
 * someone else was quicker the server answers 409 and says who has it.
 */
export function assignTicket(ticket: Ticket, assigneeId: number | null): Promise<Ticket> {
  const body: AssigneeChange = {
    assignee_id: assigneeId,
    previous_assignee_id: ticket.assignee_id,
  };
  return apiFetch<Ticket>(`/api/tickets/${ticket.id}/assignee`, { method: 'PUT', body });
}

export type AssignInput = { ticket: Ticket; assigneeId: number | null };

export function useAssignTicket() {
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: TICKETS_KEY }),
      queryClient.invalidateQueries({ queryKey: STATS_KEY }),
    ]);
  return useMutation({
    mutationFn: ({ ticket, assigneeId }: AssignInput) => assignTicket(ticket, assigneeId),
    onSuccess: (ticket) => {
      queryClient.setQueryData(ticketKey(ticket.id), ticket);
      return refresh();
    },
    // Someone was quicker: show who has it now.
    onError: (error) => {
      if (error instanceof ProblemError && error.status === 409) return refresh();
    },
  });
}

/** What went wrong, in a sentence: who was quicker (409), or why this person can't (422). */
export function assignErrorMessage(error: unknown): string {
  if (error instanceof ProblemError) {
    const reason = error.fieldErrors.assignee_id?.[0];
    if (error.status === 422 && reason) return reason;
    if (error.detail) return error.detail;
    return error.title;
  }
  return error instanceof Error ? error.message : 'Something went wrong';
}
