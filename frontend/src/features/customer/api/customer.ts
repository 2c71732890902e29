import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import type { components } from '@/types/openapi';

export type PublicTicketCreate = components['schemas']['PublicTicketCreate'];
export type CustomerLink = components['schemas']['CustomerLinkOut'];
export type CustomerTicket = components['schemas']['CustomerTicketOut'];
export type CustomerMessageSent = components['schemas']['CustomerMessageSent'];

/** The customer's private link carries its secret in the fragment: `/c#<secret>`. */
export function secretFromHash(hash: string): string | null {
  const match = /^#([A-Za-z0-9_-]{20,100})$/.exec(hash);
  return match ? match[1]! : null;
}

export function useFilePublicTicket() {
  return useMutation({
    mutationFn: (body: PublicTicketCreate) =>
      apiFetch<CustomerLink>('/api/public/tickets', { method: 'POST', body }),
  });
}

export type CustomerTickets = components['schemas']['CustomerTicketsOut'];
export type CustomerSession = components['schemas']['CustomerSessionOut'];

/** A sign-in link carries its one-time secret as `/c#signin=<secret>`. */
export function signInSecretFromHash(hash: string): string | null {
  const match = /^#signin=([A-Za-z0-9_-]{20,100})$/.exec(hash);
  return match ? match[1]! : null;
}

const SESSION_KEY = 'sd_customer_session';

/** The signed-in customer's session secret, for this browser tab only. */
export const customerSession = {
  get: (): string | null => sessionStorage.getItem(SESSION_KEY),
  set: (token: string) => sessionStorage.setItem(SESSION_KEY, token),
  clear: () => sessionStorage.removeItem(SESSION_KEY),
};

const customerKey = (secret: string, ticketId?: number) =>
  ['customer', secret, ticketId ?? 'link'] as const;
const asCustomer = (secret: string) => ({ 'X-Customer-Token': secret });

/**
 * One ticket as its customer sees it: by a private link (`secret` is the link's, no id),
 * or signed in (`secret` is the session's, and the ticket is named).
 */
export function useCustomerTicket(secret: string, ticketId?: number) {
  const path = ticketId === undefined ? '/api/customer/ticket' : `/api/customer/tickets/${ticketId}`;
  return useQuery({
    queryKey: customerKey(secret, ticketId),
    queryFn: ({ signal }) => apiFetch<CustomerTicket>(path, { signal, headers: asCustomer(secret) }),
    // Customers have no event stream: a reply shows within ten seconds.
    refetchInterval: 10_000,
  });
}

export function useCustomerReply(secret: string, ticketId?: number) {
  const queryClient = useQueryClient();
  const path =
    ticketId === undefined ? '/api/customer/messages' : `/api/customer/tickets/${ticketId}/messages`;
  return useMutation({
    mutationFn: (body: string) =>
      apiFetch<CustomerMessageSent>(path, {
        method: 'POST',
        body: { body },
        headers: asCustomer(secret),
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['customer', secret] }),
  });
}

/** Trade a sign-in link's one-time secret for a session. */
export function useCustomerSignIn() {
  return useMutation({
    mutationFn: (secret: string) =>
      apiFetch<CustomerSession>('/api/customer/sessions', { method: 'POST', body: { secret } }),
  });
}

export function useCustomerTickets(token: string) {
  return useQuery({
    queryKey: ['customer', token, 'list'],
    queryFn: ({ signal }) =>
      apiFetch<CustomerTickets>('/api/customer/tickets', { signal, headers: asCustomer(token) }),
    refetchInterval: 30_000,
  });
}

export function customerSignOut(token: string): Promise<void> {
  return apiFetch<void>('/api/customer/sessions/current', {
    method: 'DELETE',
    headers: asCustomer(token),
  });
}
