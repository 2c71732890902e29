// Roots shared across features: creating or updating a ticket must refresh both the
// ticket lists and the stats, and features may not import each other.
export const TICKETS_KEY = ['tickets'] as const;
export const STATS_KEY = ['stats'] as const;
export const ANALYSIS_KEY = ['analysis'] as const;

/** Every page of the ticket list, whatever its filters. */
export const TICKET_LISTS_KEY = [...TICKETS_KEY, 'list'] as const;

/**
 * One ticket. What other features know about it (its workflow, its duplicates) lives under
 * this key, so refreshing the ticket refreshes them too.
 */
export function ticketKey(id: number) {
  return [...TICKETS_KEY, 'detail', id] as const;
}

/** The part of a ticket's key that names its duplicates, e.g. ['tickets', 'detail', 7, 'duplicates']. */
export const DUPLICATES_PART = 'duplicates';
/** The part that names the tickets merged into it. */
export const MERGED_PART = 'merged';
