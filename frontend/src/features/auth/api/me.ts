import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { ME_KEY, type Me } from '@/lib/current-user';
import type { components } from '@/types/openapi';

export type SignIn = components['schemas']['SignIn'];
export type MyChange = components['schemas']['MyChange'];

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
