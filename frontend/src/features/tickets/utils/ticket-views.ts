import type { components } from '@/types/openapi';
import type { Status } from '@/types/api';
import type { AssigneeFilter, SlaFilter, TicketFilters } from './ticket-filters';

export type ViewCounts = components['schemas']['ViewCounts'];

/** The filters a saved view sets; every other filter is left as it is. */
type ViewFilters = Pick<TicketFilters, 'assignee' | 'needsReview' | 'sla' | 'status'>;

export type SavedView = {
  id: keyof ViewCounts;
  label: string;
  filters: ViewFilters;
  /** Only for someone signed in: open access has no "me". */
  needsUser?: boolean;
};

// "Still to do" as the server counts it: not resolved or closed.
const TO_DO: Status[] = ['open', 'in_progress'];

const view = (filters: Partial<ViewFilters>): ViewFilters => ({
  assignee: '' as AssigneeFilter,
  needsReview: false,
  sla: '' as SlaFilter,
  status: [],
  ...filters,
});

/** The queues an agent works from, each the list filters behind its count. */
export const SAVED_VIEWS: readonly SavedView[] = [
  {
    id: 'mine',
    label: 'My tickets',
    filters: view({ assignee: 'me', status: TO_DO }),
    needsUser: true,
  },
  { id: 'unassigned', label: 'Unassigned', filters: view({ assignee: 'none', status: TO_DO }) },
  {
    id: 'needs_review',
    label: 'Needs review',
    filters: view({ needsReview: true, status: TO_DO }),
  },
  { id: 'sla_at_risk', label: 'SLA at risk', filters: view({ sla: 'at_risk' }) },
  { id: 'sla_breached', label: 'SLA breached', filters: view({ sla: 'breached' }) },
  { id: 'all', label: 'All', filters: view({}) },
];

function sameStatuses(a: readonly Status[], b: readonly Status[]): boolean {
  return a.length === b.length && a.every((status) => b.includes(status));
}

/** The saved view these filters show (other filters may narrow it further), if any. */
export function activeView(filters: TicketFilters): SavedView | undefined {
  return SAVED_VIEWS.find(
    ({ filters: wanted }) =>
      wanted.assignee === filters.assignee &&
      wanted.needsReview === filters.needsReview &&
      wanted.sla === filters.sla &&
      sameStatuses(wanted.status, filters.status),
  );
}

/** A view's own filters and no other, keeping the sort and the page size. */
export function filtersForView(view: SavedView, current: TicketFilters): TicketFilters {
  return {
    ...current,
    category: [],
    priority: [],
    team: [],
    search: '',
    ...view.filters,
    page: 1,
  };
}
