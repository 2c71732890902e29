import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { ANALYSIS_KEY } from '@/lib/query-keys';
import type { RunStatusInfo } from './types';

/** Runs still pending or processing, whoever started them. */
export function getActiveAnalyses(signal?: AbortSignal): Promise<RunStatusInfo[]> {
  return apiFetch<RunStatusInfo[]>('/api/analyze/active', { signal });
}

export function getActiveAnalysesQueryOptions() {
  return queryOptions({
    queryKey: [...ANALYSIS_KEY, 'active'],
    queryFn: ({ signal }) => getActiveAnalyses(signal),
  });
}

export function useActiveAnalyses() {
  return useQuery(getActiveAnalysesQueryOptions());
}
