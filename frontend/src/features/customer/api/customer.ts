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

const customerKey = (secret: string) => ['customer', secret] as const;
const asCustomer = (secret: string) => ({ 'X-Customer-Token': secret });

export function useCustomerTicket(secret: string) {
  return useQuery({
    queryKey: customerKey(secret),
    queryFn: ({ signal }) =>
      apiFetch<CustomerTicket>('/api/customer/ticket', { signal, headers: asCustomer(secret) }),
    // Customers have no event stream: a reply shows within ten seconds.
    refetchInterval: 10_000,
  });
}

export function useCustomerReply(secret: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) =>
      apiFetch<CustomerMessageSent>('/api/customer/messages', {
        method: 'POST',
        body: { body },
        headers: asCustomer(secret),
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: customerKey(secret) }),
  });
}
