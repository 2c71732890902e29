import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { STATS_KEY } from '@/lib/query-keys';
import type { components } from '@/types/openapi';

type Schemas = components['schemas'];

/** Scores of the model serving now, on examples it was not trained on (fractions 0–1). */
export type ModelMetrics = Schemas['ModelMetrics'];

/**
 * An LLM behind the local classifier, which hands it the tickets it is unsure of: the
 * counts, the LLM's last call, and the circuits of triage's LLM and of the drafts'.
 */
export type ProviderStatus = Schemas['EscalationStatus'];

/** The classifier serving now; `provider` is null without an LLM. */
export type TriageStatus = Schemas['TriageStatus'];

// Under the stats root: an override records a correction, and ticket mutations refresh
// everything under it, so "corrections pending" follows without a new shared key.
export const TRIAGE_STATUS_KEY = [...STATS_KEY, 'triage-status'] as const;

export function getTriageStatus(signal?: AbortSignal): Promise<TriageStatus> {
  return apiFetch<TriageStatus>('/api/triage/status', { signal });
}

export function getTriageStatusQueryOptions() {
  return queryOptions({
    queryKey: TRIAGE_STATUS_KEY,
    queryFn: ({ signal }) => getTriageStatus(signal),
  });
}

export function useTriageStatus() {
  return useQuery(getTriageStatusQueryOptions());
}
