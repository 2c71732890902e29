import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { ticketKey } from '@/lib/query-keys';
import type { components } from '@/types/openapi';

export type Macro = components['schemas']['MacroOut'];
export type MacroSuggestion = components['schemas']['MacroSuggestion'];
export type MacroApplied = components['schemas']['MacroApplied'];

export function useMacros() {
  return useQuery(
    queryOptions({
      queryKey: ['macros'],
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
