import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import type { Tone } from '@/types/api';
import { getTicketWorkflowQueryKey, storeDraft, type StoredDraft } from './get-ticket-workflow';

export function regenerateDraft(ticketId: number, tone: Tone): Promise<StoredDraft> {
  return apiFetch<StoredDraft>(`/api/tickets/${ticketId}/draft/regenerate`, {
    method: 'POST',
    body: { tone },
  });
}

export function useRegenerateDraft(ticketId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tone: Tone) => regenerateDraft(ticketId, tone),
    onSuccess: (draft) => {
      storeDraft(queryClient, ticketId, draft);
      // Regenerating runs the whole workflow again: facts and routing may have moved too.
      return queryClient.invalidateQueries({ queryKey: getTicketWorkflowQueryKey(ticketId) });
    },
  });
}
