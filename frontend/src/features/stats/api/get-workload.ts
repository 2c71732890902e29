import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { STATS_KEY } from '@/lib/query-keys';
import type { components } from '@/types/openapi';

/** Everything still to do (open or in progress), and who holds it. */
export type Workload = components['schemas']['Workload'];
export type AgentLoad = components['schemas']['AgentLoad'];

/** Under the stats' key: whatever refreshes the stats (a ticket event, a change) refreshes it. */
export const WORKLOAD_KEY = [...STATS_KEY, 'workload'] as const;

export function getWorkload(signal?: AbortSignal): Promise<Workload> {
  return apiFetch<Workload>('/api/tickets/workload', { signal });
}

export function useWorkload() {
  return useQuery(
    queryOptions({ queryKey: WORKLOAD_KEY, queryFn: ({ signal }) => getWorkload(signal) }),
  );
}
