import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { TICKET_LISTS_KEY, ticketKey } from '@/lib/query-keys';
import type { components } from '@/types/openapi';

export type Thread = components['schemas']['ThreadOut'];
export type Message = components['schemas']['MessageOut'];
export type MessageCreate = components['schemas']['MessageCreate'];
export type Summary = components['schemas']['ThreadSummaryOut'];

/** Under the ticket's key: a live `ticket.updated` refreshes the thread with the ticket. */
export function threadKey(ticketId: number) {
  return [...ticketKey(ticketId), 'messages'] as const;
}

// A reply's email is sent by a background job, which tells no page when it is done: while
// one is on its way, the thread looks again every few seconds.
const IN_FLIGHT: ReadonlySet<Message['email']> = new Set(['queued', 'connecting', 'sending']);
const EMAIL_POLL_MS = 3_000;

export function useThread(ticketId: number) {
  return useQuery({
    queryKey: threadKey(ticketId),
    queryFn: ({ signal }) => apiFetch<Thread>(`/api/tickets/${ticketId}/messages`, { signal }),
    refetchInterval: (query) =>
      query.state.data?.messages.some((message) => IN_FLIGHT.has(message.email))
        ? EMAIL_POLL_MS
        : false,
  });
}

export function usePostMessage(ticketId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MessageCreate) =>
      apiFetch<Message>(`/api/tickets/${ticketId}/messages`, { method: 'POST', body }),
    // The ticket itself may have changed too (resolved, waiting on the customer).
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ticketKey(ticketId) }),
        queryClient.invalidateQueries({ queryKey: TICKET_LISTS_KEY }),
      ]),
  });
}
