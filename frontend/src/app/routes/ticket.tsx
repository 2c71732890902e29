import '@/workspace.css';
import { useParams } from 'react-router';
import { DuplicatesPanel } from '@/features/duplicates/components/duplicates-panel';
import { TicketDetail, type TicketPanels } from '@/features/tickets/components/ticket-detail';
import { DraftPanel } from '@/features/workflow/components/draft-panel';
import { FactsPanel } from '@/features/workflow/components/facts-panel';
import { RoutingPanel } from '@/features/workflow/components/routing-panel';
import { parseId } from '@/lib/parse-id';
import { Component as NotFound } from './not-found';

// What the workflow and duplicate detection add to the ticket's own page.
const PANELS: TicketPanels = {
  main: (ticket) => (
    <>
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

export function Component() {
  const ticketId = parseId(useParams().id);
  // "/tickets/abc" names no ticket; don't ask the server about it.
  if (ticketId === null) return <NotFound />;
  // Keyed, so moving between tickets starts from a clean page.
  return <TicketDetail key={ticketId} id={ticketId} panels={PANELS} />;
}
