import { useParams } from 'react-router';
import { TicketDetail } from '@/features/tickets/components/ticket-detail';
import { Component as NotFound } from './not-found';

export function Component() {
  const { id } = useParams();
  const ticketId = /^[1-9]\d*$/.test(id ?? '') ? Number(id) : NaN;
  // "/tickets/abc" names no ticket; don't ask the server about it.
  if (!Number.isSafeInteger(ticketId)) return <NotFound />;
  // Keyed, so moving between tickets starts from a clean page.
  return <TicketDetail key={ticketId} id={ticketId} />;
}
