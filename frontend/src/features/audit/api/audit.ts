import { useInfiniteQuery } from '@tanstack/react-query';
import { apiFetch, toSearchParams } from '@/lib/api-client';
import type { components } from '@/types/openapi';

export type AuditEvent = components['schemas']['AuditEventOut'];
export type AuditPage = components['schemas']['AuditPage'];
export type AuditFilters = { action?: string; user_id?: number };

/** Newest first; each next page starts before the last event seen. */
export function useAuditEvents(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam, signal }) =>
      apiFetch<AuditPage>(
        `/api/audit${toSearchParams({ ...filters, before: pageParam, limit: 50 })}`,
        { signal },
      ),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.next_before ?? undefined,
  });
}
