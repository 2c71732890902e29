import { NewTicket } from '@/features/tickets/components/new-ticket';

export function Component() {
  return (
    <>
      <title>New ticket · Supportdesk</title>
      <div className="page-header">
        <h1>New ticket</h1>
        <p className="page-header__lead">
          Tell us what’s wrong. The AI suggests a category and priority as you type — you can always
          change them.
        </p>
      </div>
      <NewTicket />
    </>
  );
}
