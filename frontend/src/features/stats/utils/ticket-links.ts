import { paths } from '@/config/paths';

/** The ticket list's filters, as its URL spells them (see the tickets feature). */
type ListFilters = {
  status?: string;
  priority?: string;
  category?: string;
  assignee?: string | number;
  needs_review?: 'true';
  sla?: 'breached' | 'at_risk';
};

/** Still to do: not resolved or closed, as the backlog counts it. */
export const TO_DO = 'open,in_progress';

/** The ticket list showing exactly what a figure counts, e.g. `?status=open,in_progress`. */
export function ticketsLink(filters: ListFilters = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined) params.set(key, String(value));
  }
  // Commas read better in an address than %2C, and the list takes either.
  const query = params.toString().replaceAll('%2C', ',');
  return query ? `${paths.tickets}?${query}` : paths.tickets;
}
