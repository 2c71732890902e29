import { keepPreviousData, queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import type { Category, Priority } from '@/types/api';

export type ClassifyInput = { title: string; description: string };

export type Classification = {
  suggested_category: Category;
  suggested_priority: Priority;
  confidence: { category: number; priority: number };
  reasoning: string;
  signals: string[];
  provider: string;
  needs_review: boolean;
  warning?: string | null;
};

export function classifyTicket(
  input: ClassifyInput,
  signal?: AbortSignal,
): Promise<Classification> {
  return apiFetch<Classification>('/api/tickets/classify/', {
    method: 'POST',
    body: input,
    signal,
  });
}

export function getClassificationQueryOptions(input: ClassifyInput | null) {
  return queryOptions({
    queryKey: ['classify', input],
    queryFn: input ? ({ signal }) => classifyTicket(input, signal) : skipToken,
    // The same text always gets the same suggestion; there is nothing to refetch.
    staleTime: Infinity,
    retry: false,
    // While a newer text is being classified, keep showing the last suggestion.
    placeholderData: keepPreviousData,
  });
}

export function useClassification(input: ClassifyInput | null) {
  return useQuery(getClassificationQueryOptions(input));
}
