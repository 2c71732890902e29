import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import type { components } from '@/types/openapi';

export type Me = components['schemas']['Me'];
export type SignIn = components['schemas']['SignIn'];
export type MyChange = components['schemas']['MyChange'];

export const ME_KEY = ['me'] as const;

export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: ({ signal }) => apiFetch<Me>('/api/auth/me', { signal }),
    staleTime: 60_000,
    retry: false,
  });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SignIn) => apiFetch<Me>('/api/auth/sign-in', { method: 'POST', body }),
    // Whatever was cached belonged to whoever was signed in before.
    onSuccess: (me) => {
      queryClient.clear();
      queryClient.setQueryData(ME_KEY, me);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<void>('/api/auth/sign-out', { method: 'POST' }),
    onSettled: () => queryClient.clear(),
  });
}

export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MyChange) => apiFetch<Me>('/api/auth/me', { method: 'PATCH', body }),
    onSuccess: (me) => queryClient.setQueryData(ME_KEY, me),
  });
}
