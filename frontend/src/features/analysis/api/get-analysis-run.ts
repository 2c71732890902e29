import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { ANALYSIS_KEY } from '@/lib/query-keys';
import type { RunDetail } from './types';

export function getAnalysisRun(id: number, signal?: AbortSignal): Promise<RunDetail> {
  return apiFetch<RunDetail>(`/api/analyze/${id}`, { signal });
}

export function getAnalysisRunQueryOptions(id: number) {
  return queryOptions({
    queryKey: [...ANALYSIS_KEY, 'run', id],
    queryFn: ({ signal }) => getAnalysisRun(id, signal),
  });
}

export function useAnalysisRun(id: number) {
  return useQuery(getAnalysisRunQueryOptions(id));
}
