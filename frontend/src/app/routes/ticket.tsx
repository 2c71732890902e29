import '@/workspace.css';
import { useParams } from 'react-router';
import { Conversation } from '@/features/conversations/components/conversation';
import { DuplicatesPanel } from '@/features/duplicates/components/duplicates-panel';
import { TicketDetail, type TicketPanels } from '@/features/tickets/components/ticket-detail';
import { useTicketWorkflow } from '@/features/workflow/api/get-ticket-workflow';
import { DraftPanel } from '@/features/workflow/components/draft-panel';
import { FactsPanel } from '@/features/workflow/components/facts-panel';
import { RoutingPanel } from '@/features/workflow/components/routing-panel';
import { parseId } from '@/lib/parse-id';
import { Component as NotFound } from './not-found';

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
      <RoutingPanel ticket={ticket} />
      <DuplicatesPanel ticket={ticket} />
    </>
  ),
};

/** The thread, with the composer starting from the workflow's reply draft. */
function TicketConversation({ ticketId }: { ticketId: number }) {
  const workflow = useTicketWorkflow(ticketId);
  return <Conversation ticketId={ticketId} draft={workflow.data?.draft?.content} />;
}

export function Component() {
  const ticketId = parseId(useParams().id);
  // "/tickets/abc" names no ticket; don't ask the server about it.
  if (ticketId === null) return <NotFound />;
  // Keyed, so moving between tickets starts from a clean page.
  return <TicketDetail key={ticketId} id={ticketId} panels={PANELS} />;
}
