import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { STATS_KEY } from '@/lib/query-keys';
import type { components } from '@/types/openapi';

export type DailyCount = components['schemas']['DayCount'];

/** How often agents kept what the AI suggested; rate is null until there is a suggestion. */
export type Acceptance = components['schemas']['Acceptance'];

/** By the category the AI suggested (every category), and for priority overall. */
export type AiAcceptance = components['schemas']['AIAcceptance'];

/** Totals, and breakdowns with a count for every status, priority and category. */
export type Stats = components['schemas']['Stats'];

export function getStats(signal?: AbortSignal): Promise<Stats> {
  return apiFetch<Stats>('/api/tickets/stats/', { signal });
}

export function getStatsQueryOptions() {
  return queryOptions({
    queryKey: STATS_KEY,
    queryFn: ({ signal }) => getStats(signal),
  });
}

export function useStats() {
  return useQuery(getStatsQueryOptions());
}
