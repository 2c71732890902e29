import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { STATS_KEY } from '@/lib/query-keys';

/** Scores of the model serving now, on examples it was not trained on (fractions 0–1). */
export type ModelMetrics = {
  category_accuracy?: number;
  priority_accuracy?: number;
  priority_within_one?: number;
  /** Expected calibration error: mean gap between stated confidence and accuracy. */
  category_calibration_error?: number;
  priority_calibration_error?: number;
  examples?: number;
  [metric: string]: unknown;
};

/** Health of a hosted LLM provider, or of a local classifier that escalates to one. */
export type ProviderStatus = Record<string, unknown>;

export type TriageStatus = {
  classifier: string;
  model_version: string | null;
  /** Why triage is degraded, e.g. the model files are missing. */
  problem: string | null;
  provider: ProviderStatus | null;
  model_metrics?: ModelMetrics;
  /** Agent overrides recorded since the serving model was trained. */
  corrections_pending?: number;
};

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
