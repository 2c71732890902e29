import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { STATS_KEY } from '@/lib/query-keys';
import type { components } from '@/types/openapi';

export type SlaAttainment = components['schemas']['SlaAttainment'];

/** Under the stats root: what refreshes the dashboard refreshes it. */
export function useSlaAttainment(days: number) {
  return useQuery(
    queryOptions({
      queryKey: [...STATS_KEY, 'sla', days],
      queryFn: ({ signal }) =>
        apiFetch<SlaAttainment>(`/api/sla/attainment?days=${days}`, { signal }),
    }),
  );
}
