import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import type { components } from '@/types/openapi';

export type SlaTargets = components['schemas']['SlaTargetsOut'];
export type SlaTargetsIn = components['schemas']['SlaTargetsIn'];
export type SlaCalendar = components['schemas']['SlaCalendarOut'];
export type SlaCalendarIn = components['schemas']['SlaCalendarIn'];
export type Weekday = keyof SlaCalendarIn['hours'];

const TARGETS_KEY = ['sla', 'targets'] as const;
const CALENDARS_KEY = ['sla', 'calendars'] as const;

export function useSlaTargets() {
  return useQuery({
    queryKey: TARGETS_KEY,
    queryFn: ({ signal }) => apiFetch<SlaTargets[]>('/api/sla/targets', { signal }),
  });
}

export function useSetSlaTargets(priority: SlaTargets['priority']) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SlaTargetsIn) =>
      apiFetch<SlaTargets>(`/api/sla/targets/${priority}`, { method: 'PUT', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TARGETS_KEY }),
  });
}

export function useSlaCalendars() {
  return useQuery({
    queryKey: CALENDARS_KEY,
    queryFn: ({ signal }) => apiFetch<SlaCalendar[]>('/api/sla/calendars', { signal }),
  });
}

export function useSetSlaCalendar(team: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SlaCalendarIn) =>
      apiFetch<SlaCalendar>(`/api/sla/calendars/${team}`, { method: 'PUT', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CALENDARS_KEY }),
  });
}

export function useDeleteSlaCalendar(team: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<void>(`/api/sla/calendars/${team}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CALENDARS_KEY }),
  });
}
