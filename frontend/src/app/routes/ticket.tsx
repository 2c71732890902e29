import '@/workspace.css';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { Loading } from '@/components/loading';
import { threadKey } from '@/features/conversations/api/thread';
import { Conversation } from '@/features/conversations/components/conversation';
import { CustomerPanel } from '@/features/conversations/components/customer-panel';
import { DuplicatesPanel } from '@/features/duplicates/components/duplicates-panel';
import { MacroPicker } from '@/features/macros/components/macro-picker';
import { SlaPanel } from '@/features/sla/components/sla-panel';
import { getTicketQueryKey } from '@/features/tickets/api/get-ticket';
import { getTicketHistoryQueryKey } from '@/features/tickets/api/get-ticket-history';
import { TicketDetail, type TicketPanels } from '@/features/tickets/components/ticket-detail';
import {
  getTicketWorkflowQueryKey,
  useTicketWorkflow,
} from '@/features/workflow/api/get-ticket-workflow';
import { DraftPanel } from '@/features/workflow/components/draft-panel';
import { FactsPanel } from '@/features/workflow/components/facts-panel';
import { RoutingPanel } from '@/features/workflow/components/routing-panel';
import { apiFetch } from '@/lib/api-client';
import { parseId } from '@/lib/parse-id';
import type { components } from '@/types/openapi';
import { Component as NotFound } from './not-found';

type TicketPage = components['schemas']['TicketPageOut'];

// What the workflow and duplicate detection add to the ticket's own page.
const PANELS: TicketPanels = {
  main: (ticket) => (
    <>
      <TicketConversation ticketId={ticket.id} />
      <DraftPanel ticketId={ticket.id} />
      <FactsPanel ticketId={ticket.id} />
    </>
  ),
  side: (ticket) => (
    <>
      <CustomerPanel ticketId={ticket.id} />
      <RoutingPanel ticket={ticket} />
      <SlaPanel ticketId={ticket.id} />
      <DuplicatesPanel ticket={ticket} />
    </>
  ),
};

/** The thread, with the composer starting from the workflow's reply draft. */
function TicketConversation({ ticketId }: { ticketId: number }) {
  const workflow = useTicketWorkflow(ticketId);
  return (
    <Conversation
      ticketId={ticketId}
      draft={workflow.data?.draft?.content}
      tools={(insert) => <MacroPicker ticketId={ticketId} onInsert={insert} />}
    />
  );
}

/** Each part of the page answer where its own query looks; they refresh one by one later. */
function seed(client: QueryClient, id: number, page: TicketPage) {
  client.setQueryData(getTicketQueryKey(id), page.ticket);
  client.setQueryData(threadKey(id), page.thread);
  client.setQueryData(getTicketHistoryQueryKey(id), page.history);
  client.setQueryData(getTicketWorkflowQueryKey(id), page.workflow);
}

/**
 * Opens the page with one request (the ticket, its thread, its timeline and the workflow's
 * work) instead of one per part. Whether it is done: the parts then render from the cache;
 * if it failed (a 404, say), they ask on their own and show why.
 */
function useOpenedInOneRequest(id: number): boolean {
  const client = useQueryClient();
  const opened = useQuery({
    // Outside the ticket's key: refreshing the ticket refreshes its parts, not this.
    queryKey: ['ticket-page', id],
    queryFn: async ({ signal }) => {
      seed(client, id, await apiFetch<TicketPage>(`/api/tickets/${id}/page`, { signal }));
      return true;
    },
    gcTime: 0,
    retry: false,
  });
  return !opened.isPending;
}

function OpenedTicket({ id }: { id: number }) {
  const opened = useOpenedInOneRequest(id);
  if (!opened) return <Loading label="Loading ticket…" />;
  return <TicketDetail id={id} panels={PANELS} />;
}

export function Component() {
  const ticketId = parseId(useParams().id);
  // "/tickets/abc" names no ticket; don't ask the server about it.
  if (ticketId === null) return <NotFound />;
  // Keyed, so moving between tickets starts from a clean page.
  return <OpenedTicket key={ticketId} id={ticketId} />;
}
