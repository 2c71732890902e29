import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { USERS_KEY, type StaffUser } from '@/lib/users';
import type { components } from '@/types/openapi';

export type User = StaffUser;
export type UserCreate = components['schemas']['UserCreate'];
export type UserUpdate = components['schemas']['UserUpdate'];
export type InvitedUser = components['schemas']['InvitedUser'];
export type Link = components['schemas']['LinkOut'];
export type Role = components['schemas']['Role'];


export function useInviteUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UserCreate) =>
      apiFetch<InvitedUser>('/api/users', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: USERS_KEY }),
  });
}

export function useUpdateUser(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UserUpdate) =>
      apiFetch<User>(`/api/users/${id}`, { method: 'PATCH', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: USERS_KEY }),
  });
}

export function useResetLink(id: number) {
  return useMutation({
    mutationFn: () => apiFetch<Link>(`/api/users/${id}/reset-link`, { method: 'POST' }),
  });
}
