import {
  CATEGORIES,
  PRIORITIES,
  STATUSES,
  type Category,
  type Priority,
  type Status,
} from '@/types/api';
import { TEAM_ID } from '@/lib/teams';

/** The server's limit on a search (longer is refused with 422). */
export const SEARCH_MAX_LENGTH = 500;

export const ORDERINGS = {
  '-created_at': 'Newest first',
  created_at: 'Oldest first',
  '-priority': 'Highest priority',
  priority: 'Lowest priority',
  '-updated_at': 'Recently updated',
  updated_at: 'Least recently updated',
  due_at: 'Due soonest',
} as const;

export type Ordering = keyof typeof ORDERINGS;
export const DEFAULT_ORDERING: Ordering = '-created_at';

export type TicketFilters = {
  category: Category[];
  priority: Priority[];
  status: Status[];
  /** Team ids of the routing file, which the server lists (`GET /api/teams`). */
  team: string[];
  search: string;
  ordering: Ordering;
  page: number;
};

/** Reads filters from the URL, dropping anything unknown so a hand-edited link can't break the list. */
export function parseTicketFilters(params: URLSearchParams): TicketFilters {
  const page = Number(params.get('page'));
  const ordering = params.get('ordering');
  return {
    category: parseList(params.get('category'), CATEGORIES),
    priority: parseList(params.get('priority'), PRIORITIES),
    status: parseList(params.get('status'), STATUSES),
    team: (params.get('team') ?? '').split(',').filter((team) => TEAM_ID.test(team)),
    search: (params.get('search') ?? '').slice(0, SEARCH_MAX_LENGTH),
    ordering: ordering && ordering in ORDERINGS ? (ordering as Ordering) : DEFAULT_ORDERING,
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The inverse of parseTicketFilters; defaults are left out to keep links short. */
export function ticketFiltersToParams(filters: TicketFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.category.length) params.set('category', filters.category.join(','));
  if (filters.priority.length) params.set('priority', filters.priority.join(','));
  if (filters.status.length) params.set('status', filters.status.join(','));
  if (filters.team.length) params.set('team', filters.team.join(','));
  if (filters.search.trim()) params.set('search', filters.search.trim());
  if (filters.ordering !== DEFAULT_ORDERING) params.set('ordering', filters.ordering);
  if (filters.page > 1) params.set('page', String(filters.page));
  return params;
}

export function hasActiveFilters(filters: TicketFilters): boolean {
  return (
    filters.category.length +
      filters.priority.length +
      filters.status.length +
      filters.team.length >
      0 ||
    filters.search.trim() !== ''
  );
}

function parseList<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  const values = (raw ?? '').split(',');
  return allowed.filter((value) => values.includes(value));
}
