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

/** Rows a page, as the page size choice offers them (the server allows up to 100). */
export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 10;

/** `me`, `none` (unassigned) or a user's id, as the server's `assignee` filter takes it. */
export type AssigneeFilter = '' | 'me' | 'none' | `${number}`;
const ASSIGNEE = /^(me|none|[1-9][0-9]{0,8})$/;

export const SLA_STATES = { at_risk: 'At risk', breached: 'Breached' } as const;
export type SlaFilter = '' | keyof typeof SLA_STATES;

export type TicketFilters = {
  category: Category[];
  priority: Priority[];
  status: Status[];
  /** Team ids of the routing file, which the server lists (`GET /api/teams`). */
  team: string[];
  search: string;
  assignee: AssigneeFilter;
  /** Only tickets whose AI labels await a person's review. */
  needsReview: boolean;
  /** Unresolved tickets near (2 hours) or past their due time. */
  sla: SlaFilter;
  ordering: Ordering;
  page: number;
  pageSize: number;
};

/** Reads filters from the URL, dropping anything unknown so a hand-edited link can't break the list. */
export function parseTicketFilters(
  params: URLSearchParams,
  defaultPageSize: number = DEFAULT_PAGE_SIZE,
): TicketFilters {
  const page = Number(params.get('page'));
  const ordering = params.get('ordering');
  const assignee = params.get('assignee') ?? '';
  const sla = params.get('sla') ?? '';
  return {
    category: parseList(params.get('category'), CATEGORIES),
    priority: parseList(params.get('priority'), PRIORITIES),
    status: parseList(params.get('status'), STATUSES),
    team: (params.get('team') ?? '').split(',').filter((team) => TEAM_ID.test(team)),
    search: (params.get('search') ?? '').slice(0, SEARCH_MAX_LENGTH),
    assignee: ASSIGNEE.test(assignee) ? (assignee as AssigneeFilter) : '',
    needsReview: params.get('needs_review') === 'true',
    sla: sla in SLA_STATES ? (sla as SlaFilter) : '',
    ordering: ordering && ordering in ORDERINGS ? (ordering as Ordering) : DEFAULT_ORDERING,
    page: Number.isInteger(page) && page > 1 ? page : 1,
    pageSize: parsePageSize(params.get('page_size')) ?? defaultPageSize,
  };
}

export function parsePageSize(raw: string | null): number | undefined {
  const size = Number(raw);
  return (PAGE_SIZES as readonly number[]).includes(size) ? size : undefined;
}

/** The inverse of parseTicketFilters; defaults are left out to keep links short. */
export function ticketFiltersToParams(
  filters: TicketFilters,
  defaultPageSize: number = DEFAULT_PAGE_SIZE,
): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.category.length) params.set('category', filters.category.join(','));
  if (filters.priority.length) params.set('priority', filters.priority.join(','));
  if (filters.status.length) params.set('status', filters.status.join(','));
  if (filters.team.length) params.set('team', filters.team.join(','));
  if (filters.search.trim()) params.set('search', filters.search.trim());
  if (filters.assignee) params.set('assignee', filters.assignee);
  if (filters.needsReview) params.set('needs_review', 'true');
  if (filters.sla) params.set('sla', filters.sla);
  if (filters.ordering !== DEFAULT_ORDERING) params.set('ordering', filters.ordering);
  if (filters.pageSize !== defaultPageSize) params.set('page_size', String(filters.pageSize));
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
    filters.search.trim() !== '' ||
    filters.assignee !== '' ||
    filters.needsReview ||
    filters.sla !== ''
  );
}

/** How many filters are set, for the folded filter panel's button. */
export function activeFilterCount(filters: TicketFilters): number {
  return (
    filters.category.length +
    filters.priority.length +
    filters.status.length +
    filters.team.length +
    Number(filters.search.trim() !== '') +
    Number(filters.assignee !== '') +
    Number(filters.needsReview) +
    Number(filters.sla !== '')
  );
}

/** No filter at all: what "Clear filters" and the All view go back to. */
export const NO_FILTERS = {
  category: [],
  priority: [],
  status: [],
  team: [],
  search: '',
  assignee: '',
  needsReview: false,
  sla: '',
} as const satisfies Partial<TicketFilters>;

function parseList<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  const values = (raw ?? '').split(',');
  return allowed.filter((value) => values.includes(value));
}
