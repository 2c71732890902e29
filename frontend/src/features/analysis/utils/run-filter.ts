import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS } from '@/lib/labels';
import { TEAM_ID } from '@/lib/teams';
import { CATEGORIES, PRIORITIES, STATUSES } from '@/types/api';
import type { RunFilter } from '../api/types';

/**
 * The ticket list's filters as the tickets page puts them in a link to this page
 * (`?status=open&team=billing_team&search=vpn`); null when the link sets none.
 */
export function parseRunFilter(params: URLSearchParams): RunFilter | null {
  const filter: RunFilter = {};
  const status = parseList(params.get('status'), STATUSES);
  const category = parseList(params.get('category'), CATEGORIES);
  const priority = parseList(params.get('priority'), PRIORITIES);
  const team = [...new Set((params.get('team') ?? '').split(','))].filter((id) => TEAM_ID.test(id));
  const search = params.get('search')?.trim() ?? '';
  if (status.length) filter.status = status;
  if (category.length) filter.category = category;
  if (priority.length) filter.priority = priority;
  if (team.length) filter.team = team;
  if (search) filter.search = search;
  return Object.keys(filter).length ? filter : null;
}

/**
 * "Status: Open, In progress · Priority: High · Team: Billing team · Search: “vpn”", or ""
 * for no filter. `teamName` names a team id (the routing file's names, `useTeamLabel`).
 */
export function describeRunFilter(filter: RunFilter, teamName: (id: string) => string): string {
  const parts = [
    listPart('Status', filter.status, STATUS_LABELS),
    listPart('Category', filter.category, CATEGORY_LABELS),
    listPart('Priority', filter.priority, PRIORITY_LABELS),
    filter.team?.length ? `Team: ${filter.team.map(teamName).join(', ')}` : '',
    filter.search ? `Search: “${filter.search}”` : '',
  ];
  return parts.filter(Boolean).join(' · ');
}

function listPart(name: string, values: string[] | undefined, labels: Record<string, string>) {
  if (!values?.length) return '';
  return `${name}: ${values.map((value) => labels[value] ?? value).join(', ')}`;
}

function parseList<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  const values = (raw ?? '').split(',');
  return allowed.filter((value) => values.includes(value));
}
