import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch, toSearchParams } from '@/lib/api-client';
import { ANALYSIS_KEY } from '@/lib/query-keys';
import type { RunPage } from './types';

export const RUNS_PAGE_SIZE = 10;

export function getAnalysisRuns(page: number, signal?: AbortSignal): Promise<RunPage> {
  const query = toSearchParams({ page, page_size: RUNS_PAGE_SIZE });
  return apiFetch<RunPage>(`/api/analyze/runs${query}`, { signal });
}

export function getAnalysisRunsQueryOptions(page: number) {
  return queryOptions({
    queryKey: [...ANALYSIS_KEY, 'runs', page],
    queryFn: ({ signal }) => getAnalysisRuns(page, signal),
    placeholderData: keepPreviousData,
  });
}

export function useAnalysisRuns(page: number) {
  return useQuery(getAnalysisRunsQueryOptions(page));
}
