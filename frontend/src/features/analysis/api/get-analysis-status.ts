import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { ANALYSIS_KEY } from '@/lib/query-keys';
import { isRunActive, type RunStatusInfo } from './types';

export const STATUS_POLL_MS = 1000;
const STATUS_PART = 'status';

function getAnalysisStatusQueryKey(id: number) {
  return [...ANALYSIS_KEY, STATUS_PART, id] as const;
}

export function getAnalysisStatus(id: number, signal?: AbortSignal): Promise<RunStatusInfo> {
  return apiFetch<RunStatusInfo>(`/api/analyze/${id}/status`, { signal });
}

export function getAnalysisStatusQueryOptions(id: number) {
  return queryOptions({
    queryKey: getAnalysisStatusQueryKey(id),
    queryFn: async ({ signal, client }) => {
      const before = client.getQueryData<RunStatusInfo>(getAnalysisStatusQueryKey(id));
      const status = await getAnalysisStatus(id, signal);
      // Finished since the last look (or before the first): the run's report, the run list
      // and the active runs all changed. A finished status is final and not asked again.
      if ((!before || isRunActive(before.status)) && !isRunActive(status.status)) {
        void client.invalidateQueries({
          queryKey: ANALYSIS_KEY,
          predicate: (query) => query.queryKey[1] !== STATUS_PART,
        });
      }
      return status;
    },
    // Every second while the run works; a finished run does not change any more.
    refetchInterval: (query) =>
      query.state.data && !isRunActive(query.state.data.status) ? false : STATUS_POLL_MS,
    staleTime: (query) =>
      query.state.data && !isRunActive(query.state.data.status) ? Infinity : 0,
  });
}

export function useAnalysisStatus(id: number) {
  return useQuery(getAnalysisStatusQueryOptions(id));
}
