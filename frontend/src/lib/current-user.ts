import { queryOptions, useQuery } from '@tanstack/react-query';
import type { components } from '@/types/openapi';
import { apiFetch } from './api-client';

/** Who is asking: a signed-in staff member, or nobody in open access (where role is admin). */
export type Me = components['schemas']['Me'];
export type Role = components['schemas']['Role'];

export const ME_KEY = ['auth', 'me'] as const;

export function getMeQueryOptions() {
  return queryOptions({
    queryKey: ME_KEY,
    queryFn: ({ signal }) => apiFetch<Me>('/api/auth/me', { signal }),
    staleTime: 5 * 60_000,
  });
}

export function useMe() {
  return useQuery(getMeQueryOptions());
}

/** Agents and admins work on tickets; viewers only read. */
export function canWork(me: Me | undefined): boolean {
  return me?.role === 'agent' || me?.role === 'admin';
}

/**
 * The signed-in person may take this ticket: they work on tickets, and the ticket is in one of
 * their teams (or routed to none yet). Open access has nobody to assign to.
 */
export function canTake(me: Me | undefined, team: string | null): boolean {
  if (!me?.user || !canWork(me)) return false;
  return team === null || me.user.teams.includes(team);
}
