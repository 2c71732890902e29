// Roots shared across features: creating or updating a ticket must refresh both the
// ticket lists and the stats, and features may not import each other.
export const TICKETS_KEY = ['tickets'] as const;
export const STATS_KEY = ['stats'] as const;
