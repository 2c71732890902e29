import '@/workspace.css';
import { TicketBrowser } from '@/features/tickets/components/ticket-browser';
import { DraftsForReview } from '@/features/workflow/components/draft-review';

export function Component() {
  return (
    <>
      <title>Tickets · Supportdesk</title>
      <div className="page-header">
        <h1>Tickets</h1>
      </div>
      <DraftsForReview />
      <TicketBrowser />
    </>
  );
}
