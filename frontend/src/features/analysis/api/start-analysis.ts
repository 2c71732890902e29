import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { ANALYSIS_KEY } from '@/lib/query-keys';
import type { components } from '@/types/openapi';
import type { RunDetail, RunFilter } from './types';

/** Every ticket no run has analysed yet, or the tickets matching the list's filters. */
export type StartAnalysisInput = { ticketIds: null } | { filter: RunFilter };

export function startAnalysis(input: StartAnalysisInput): Promise<RunDetail> {
  const body: components['schemas']['AnalyzeRequest'] = input;
  return apiFetch<RunDetail>('/api/analyze', { method: 'POST', body });
}

export function useStartAnalysis() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startAnalysis,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ANALYSIS_KEY }),
  });
}
