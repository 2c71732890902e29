import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from './api-client';

/** A team of the routing file (config/routing.toml), as `GET /api/teams` lists it. */
export type TeamInfo = { id: string; name: string; escalation: boolean };

/** Team ids as the routing file allows them (lower_snake_case). */
export const TEAM_ID = /^[a-z][a-z0-9_]{0,47}$/;

export function getTeamsQueryOptions() {
  return queryOptions({
    queryKey: ['teams'] as const,
    queryFn: ({ signal }) => apiFetch<TeamInfo[]>('/api/teams', { signal }),
    // The server reads the routing file at start-up: the list changes only with a restart.
    staleTime: Infinity,
  });
}

export function useTeams() {
  return useQuery(getTeamsQueryOptions());
}

/** A team as people read it: the routing file's name, else (not loaded yet) its id tidied. */
export function teamLabel(team: string, teams: readonly TeamInfo[] = []): string {
  const words = teams.find((known) => known.id === team)?.name ?? team.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `teamLabel` with the routing file's names once they have loaded. */
export function useTeamLabel(): (team: string) => string {
  const { data } = useTeams();
  return (team) => teamLabel(team, data);
}
