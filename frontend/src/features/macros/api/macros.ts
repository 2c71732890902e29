import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { ticketKey } from '@/lib/query-keys';
import type { components } from '@/types/openapi';

export type Macro = components['schemas']['MacroOut'];
export type MacroIn = components['schemas']['MacroIn'];
export type MacroSuggestion = components['schemas']['MacroSuggestion'];
export type MacroApplied = components['schemas']['MacroApplied'];

const MACROS_KEY = ['macros'] as const;

export function useMacros() {
  return useQuery(
    queryOptions({
      queryKey: MACROS_KEY,
      queryFn: ({ signal }) => apiFetch<Macro[]>('/api/macros', { signal }),
    }),
  );
}

/** Under the ticket's key: a change of the ticket suggests again. */
export function useSuggestedMacros(ticketId: number) {
  return useQuery(
    queryOptions({
      queryKey: [...ticketKey(ticketId), 'macros'],
      queryFn: ({ signal }) =>
        apiFetch<MacroSuggestion[]>(`/api/tickets/${ticketId}/macros/suggested`, { signal }),
    }),
  );
}

/** Does the macro's actions and answers its reply for the composer. */
export function useApplyMacro(ticketId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (macroId: number) =>
      apiFetch<MacroApplied>(`/api/tickets/${ticketId}/macros/${macroId}`, { method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ticketKey(ticketId) }),
  });
}

/** Admins: a new macro (`id` null) or a change to one. */
export function useSaveMacro(id: number | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MacroIn) =>
      id === null
        ? apiFetch<Macro>('/api/macros', { method: 'POST', body })
        : apiFetch<Macro>(`/api/macros/${id}`, { method: 'PUT', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: MACROS_KEY }),
  });
}

export function useDeleteMacro(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<void>(`/api/macros/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: MACROS_KEY }),
  });
}
