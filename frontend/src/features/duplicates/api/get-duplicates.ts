import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { DUPLICATES_PART, ticketKey } from '@/lib/query-keys';
import type { components } from '@/types/openapi';

export type Duplicate = components['schemas']['DuplicateOut'];
export type Duplicates = components['schemas']['DuplicatesOut'];

/** Under the ticket's key; live events refresh every ticket's duplicates by its last part. */
export function getDuplicatesQueryKey(id: number) {
  return [...ticketKey(id), DUPLICATES_PART] as const;
}

export function getDuplicates(id: number, signal?: AbortSignal): Promise<Duplicates> {
  return apiFetch<Duplicates>(`/api/tickets/${id}/duplicates/`, { signal });
}

export function getDuplicatesQueryOptions(id: number) {
  return queryOptions({
    queryKey: getDuplicatesQueryKey(id),
    queryFn: ({ signal }) => getDuplicates(id, signal),
  });
}

export function useDuplicates(id: number) {
  return useQuery(getDuplicatesQueryOptions(id));
}
