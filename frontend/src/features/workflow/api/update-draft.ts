import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { storeDraft, type StoredDraft, type Tone } from './get-ticket-workflow';

export type UpdateDraftInput = { content: string; tone: Tone };

export function updateDraft(ticketId: number, data: UpdateDraftInput): Promise<StoredDraft> {
  return apiFetch<StoredDraft>(`/api/tickets/${ticketId}/draft`, { method: 'PUT', body: data });
}

export function useUpdateDraft(ticketId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (data: UpdateDraftInput) => updateDraft(ticketId, data),
    onSuccess: (draft) => storeDraft(queryClient, ticketId, draft),
  });
}
