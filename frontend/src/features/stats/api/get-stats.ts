import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { STATS_KEY } from '@/lib/query-keys';
import type { Category, Priority, Status } from '@/types/api';

export type DailyCount = { date: string; count: number };

/** How often agents kept what the AI suggested; rate is null until there is a suggestion. */
export type Acceptance = { suggested: number; accepted: number; rate: number | null };

export type AiAcceptance = {
  /** Keyed by the category the AI suggested. */
  category: Record<Category, Acceptance>;
  priority: Acceptance;
};

export type Stats = {
  total_tickets: number;
  open_tickets: number;
  avg_tickets_per_day: number;
  priority_breakdown: Record<Priority, number>;
  category_breakdown: Record<Category, number>;
  status_breakdown: Record<Status, number>;
  tickets_per_day: DailyCount[];
  ai_acceptance: AiAcceptance;
};

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
