import { keepPreviousData, queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import type { components } from '@/types/openapi';

export type ClassifyInput = { title: string; description: string };

export type Classification = components['schemas']['ClassifyResponse'];

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
