import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { TICKETS_KEY } from '@/lib/query-keys';
import type { components } from '@/types/openapi';
import { storeDraft, type StoredDraft } from './get-ticket-workflow';

export type DraftForReview = components['schemas']['DraftForReviewOut'];

/** Under the tickets root: a live ticket or workflow event refreshes it. */
export const DRAFTS_FOR_REVIEW_KEY = [...TICKETS_KEY, 'drafts-for-review'] as const;

export function useDraftsForReview() {
  return useQuery(
    queryOptions({
      queryKey: DRAFTS_FOR_REVIEW_KEY,
      queryFn: ({ signal }) => apiFetch<DraftForReview[]>('/api/drafts/review', { signal }),
    }),
  );
}

/** Shared drafts: mark the ticket's draft ready for a teammate's review, or withdraw that. */
export function useSetDraftReview(ticketId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ready: boolean) =>
      apiFetch<StoredDraft>(`/api/tickets/${ticketId}/draft/review`, {
        method: 'PUT',
        body: { ready },
      }),
    onSuccess: (draft) => {
      void queryClient.invalidateQueries({ queryKey: DRAFTS_FOR_REVIEW_KEY });
      return storeDraft(queryClient, ticketId, draft);
    },
  });
}
