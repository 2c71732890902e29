import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { ANALYSIS_KEY } from '@/lib/query-keys';
import type { RunDetail, RunFilter } from './types';

/** Every ticket no run has analysed yet, or the tickets matching the list's filters. */
export type StartAnalysisInput = { ticketIds: null } | { filter: RunFilter };

export function startAnalysis(input: StartAnalysisInput): Promise<RunDetail> {
  return apiFetch<RunDetail>('/api/analyze', { method: 'POST', body: input });
}

export function useStartAnalysis() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startAnalysis,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ANALYSIS_KEY }),
  });
}
