import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import type { components } from '@/types/openapi';
import { ME_KEY, type Me } from '@/lib/current-user';

export type LinkInfo = components['schemas']['LinkInfo'];
export type LinkUse = components['schemas']['LinkUse'];
export type LinkPurpose = LinkInfo['purpose'];

/** `#setup=…`, `#invite=…` or `#reset=…`: in the fragment, which no server ever sees. */
export function linkFromHash(hash: string): { purpose: LinkPurpose; secret: string } | null {
  const match = /^#(setup|invite|reset)=([A-Za-z0-9_-]{20,100})$/.exec(hash);
  return match ? { purpose: match[1] as LinkPurpose, secret: match[2]! } : null;
}

export function useLinkInfo(secret: string) {
  return useQuery({
    queryKey: ['link', secret],
    queryFn: ({ signal }) => apiFetch<LinkInfo>(`/api/auth/links/${secret}`, { signal }),
    retry: false,
  });
}

export function useUseLink(secret: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LinkUse) =>
      apiFetch<Me>(`/api/auth/links/${secret}`, { method: 'POST', body }),
    onSuccess: (me) => {
      // Whatever was cached belonged to whoever used this browser before; the link's own
      // description stays, so the page does not ask for it again (used, it would be a 404).
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'link' });
      queryClient.setQueryData(ME_KEY, me);
    },
  });
}
