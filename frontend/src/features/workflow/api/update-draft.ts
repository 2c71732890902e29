import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import type { components } from '@/types/openapi';
import { storeDraft, type StoredDraft } from './get-ticket-workflow';

export type UpdateDraftInput = components['schemas']['DraftEdit'];

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
