import { queryOptions, useQuery } from '@tanstack/react-query';
import type { components } from '@/types/openapi';
import { apiFetch } from './api-client';

/** A staff member, as `GET /api/users` lists them. */
export type StaffUser = components['schemas']['UserOut'];

export const USERS_KEY = ['users'] as const;

export function getUsersQueryOptions() {
  return queryOptions({
    queryKey: USERS_KEY,
    queryFn: ({ signal }) => apiFetch<StaffUser[]>('/api/users', { signal }),
    // People join and change teams rarely; a page that needs it fresh refetches on mount.
    staleTime: 5 * 60_000,
  });
}

export function useUsers() {
  return useQuery(getUsersQueryOptions());
}

/** A person's name, or a stand-in until the list has loaded (or for someone not on it). */
export function userName(id: number, users: readonly StaffUser[] | undefined): string {
  return users?.find((user) => user.id === id)?.name ?? `user #${id}`;
}

/**
 * Who can take a ticket of this team: agents and admins of the team (of any team when the
 * ticket is not routed yet) who are not deactivated; away people last.
 */
export function assignableUsers(users: readonly StaffUser[], team: string | null): StaffUser[] {
  return users
    .filter(
      (user) =>
        user.role !== 'viewer' &&
        user.status !== 'deactivated' &&
        (team === null || user.teams.includes(team)),
    )
    .sort(
      (a, b) =>
        Number(a.status === 'away') - Number(b.status === 'away') || a.name.localeCompare(b.name),
    );
}
