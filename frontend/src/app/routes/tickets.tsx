import '@/workspace.css';
import { TicketBrowser } from '@/features/tickets/components/ticket-browser';

export function Component() {
  return (
    <>
      <title>Tickets · Supportdesk</title>
      <div className="page-header">
        <h1>Tickets</h1>
      </div>
      <TicketBrowser />
    </>
  );
}
