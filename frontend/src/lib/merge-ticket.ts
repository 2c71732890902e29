import type { Ticket } from '@/types/api';
import { apiFetch } from './api-client';

/**
 * Closes `id` as a duplicate of `into`; the answer is the closed ticket. Shared: the
 * duplicates panel merges one ticket, the list's bulk actions several.
 */
export function mergeTicket(id: number, into: number): Promise<Ticket> {
  return apiFetch<Ticket>(`/api/tickets/${id}/merge`, { method: 'POST', body: { into } });
}
