import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { TICKET_LISTS_KEY, ticketKey } from '@/lib/query-keys';
import type { Ticket } from '@/types/api';
import type { components } from '@/types/openapi';

type Schemas = components['schemas'];

/** One value the workflow found in the ticket; an invalid one is kept as written. */
export type Fact = Schemas['FactOut'];

export type StoredFacts = Schemas['StoredFacts'];

export type StoredRouting = Schemas['StoredRouting'];

/** The reply draft; an agent's edit (`edited`) is no longer replaced by the workflow. */
export type StoredDraft = Schemas['StoredDraft'];

/** What the background workflow stored for a ticket; a part it has not produced is null. */
export type TicketWorkflow = Schemas['TicketWorkflowOut'];

// Right after a ticket is filed the workflow is still running; look again until it is done.
export const PROCESSING_POLL_MS = 1500;
// …but not forever: a ticket filed before the workflow existed has none until it changes.
export const PROCESSING_POLL_LIMIT = 40;

/** Under the ticket's key: whatever refreshes the ticket refreshes its workflow too. */
export function getTicketWorkflowQueryKey(id: number) {
  return [...ticketKey(id), 'workflow'] as const;
}

export function getTicketWorkflow(id: number, signal?: AbortSignal): Promise<TicketWorkflow> {
  return apiFetch<TicketWorkflow>(`/api/tickets/${id}/workflow`, { signal });
}

export function isWorkflowComplete(workflow: TicketWorkflow | undefined): boolean {
  return Boolean(workflow?.facts && workflow.routing && workflow.draft);
}

function sameRouting(ticket: Ticket, routing: StoredRouting): boolean {
  return (
    ticket.team === routing.team &&
    ticket.due_at === routing.due_at &&
    ticket.sla_breached === routing.sla_breached
  );
}

export function getTicketWorkflowQueryOptions(id: number) {
  const queryKey = getTicketWorkflowQueryKey(id);
  return queryOptions({
    queryKey,
    queryFn: async ({ signal, client }) => {
      const workflow = await getTicketWorkflow(id, signal);
      const ticket = client.getQueryData<Ticket>(ticketKey(id));
      if (!ticket || !workflow.routing || sameRouting(ticket, workflow.routing)) return workflow;
      // The workflow writes the ticket's team and due time without an event of its own, and
      // either answer may have been read halfway through that write: read the ticket again,
      // and if it still disagrees, the workflow was the stale one. Polling has stopped once
      // routing exists, so nothing else would ever correct it.
      void client.invalidateQueries({ queryKey: TICKET_LISTS_KEY });
      await client.invalidateQueries({ queryKey: ticketKey(id), exact: true });
      const fresh = client.getQueryData<Ticket>(ticketKey(id));
      if (fresh && sameRouting(fresh, workflow.routing)) return workflow;
      return getTicketWorkflow(id, signal);
    },
    refetchInterval: (query) =>
      isWorkflowComplete(query.state.data) || query.state.dataUpdateCount >= PROCESSING_POLL_LIMIT
        ? false
        : PROCESSING_POLL_MS,
  });
}

export function useTicketWorkflow(id: number) {
  return useQuery(getTicketWorkflowQueryOptions(id));
}

/** Puts a draft the server answered with into the cached workflow, so it shows at once. */
export function storeDraft(client: QueryClient, ticketId: number, draft: StoredDraft): void {
  client.setQueryData<TicketWorkflow>(getTicketWorkflowQueryKey(ticketId), (workflow) =>
    workflow ? { ...workflow, draft } : workflow,
  );
}
