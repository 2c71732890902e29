import { useState, type FormEvent } from 'react';
import { ErrorAlert } from '@/components/error-alert';
import { FieldError } from '@/components/field-error';
import { Loading } from '@/components/loading';
import { RelativeTime } from '@/components/relative-time';
import { ProblemError } from '@/lib/api-client';
import { MESSAGE_MAX_LENGTH } from '@/types/api-limits';
import { useCustomerReply, useCustomerTicket } from '../api/customer';

const STATUS_WORDS = {
  open: 'Open',
  in_progress: 'In progress',
  resolved: 'Resolved',
  closed: 'Closed',
} as const;

type CustomerTicketProps = {
  /** A private link's secret, or (with `ticketId`) a signed-in customer's session's. */
  secret: string;
  ticketId?: number;
};

/** What a customer sees of a ticket: the public thread, and a reply box. */
export function CustomerTicket({ secret, ticketId }: CustomerTicketProps) {
  const ticket = useCustomerTicket(secret, ticketId);
  const reply = useCustomerReply(secret, ticketId);
  const [body, setBody] = useState('');

  if (ticket.isPending) return <Loading label="Loading your ticket…" />;
  if (ticket.isError) {
    const gone = ticket.error instanceof ProblemError && ticket.error.status === 404;
    return gone ? (
      <p role="alert" className="alert alert--error">
        This link does not work any more. Write to us again through the support form, and
        we will send you a new one.
      </p>
    ) : (
      <ErrorAlert error={ticket.error} onRetry={() => void ticket.refetch()} />
    );
  }
  const errors = reply.error instanceof ProblemError ? reply.error.fieldErrors : {};

  function submit(event: FormEvent) {
    event.preventDefault();
    reply.mutate(body, { onSuccess: () => setBody('') });
  }

  return (
    <>
      <section className="card panel" aria-labelledby="customer-ticket-heading">
        <h2 id="customer-ticket-heading" dir="auto">
          {ticket.data.title}
        </h2>
        <p>
          Ticket #{ticket.data.id} · {STATUS_WORDS[ticket.data.status]}
        </p>
        <ol className="thread" aria-label="Messages">
          {ticket.data.messages.map((message) => (
            <li key={message.id} className={`thread__message thread__message--${message.kind}`}>
              <p className="thread__meta">
                <span dir="auto">{message.author_name}</span> ·{' '}
                <RelativeTime iso={message.created_at} />
              </p>
              <p dir="auto" className="thread__body">
                {message.body}
              </p>
            </li>
          ))}
        </ol>
      </section>
      <form className="card form" onSubmit={submit} aria-label="Reply">
        <label htmlFor="customer-reply">Your reply</label>
        <textarea
          id="customer-reply"
          dir="auto"
          rows={5}
          required
          maxLength={MESSAGE_MAX_LENGTH}
          value={body}
          onChange={(event) => setBody(event.target.value)}
        />
        <FieldError id="customer-reply-error" messages={errors.body} />
        {reply.isError && !errors.body && <ErrorAlert error={reply.error} />}
        {reply.data?.outcome === 'reopened' && (
          <p role="status" className="alert alert--success">
            Thank you: your ticket is open again.
          </p>
        )}
        {reply.data?.follow_up_link && (
          <p role="status" className="alert alert--success">
            Your ticket was closed a while ago, so we opened a new one (#
            {reply.data.ticket_id}): <a href={reply.data.follow_up_link.url}>follow it here</a>.
          </p>
        )}
        <div className="form__actions">
          <button type="submit" className="button" disabled={reply.isPending || !body.trim()}>
            Send reply
          </button>
        </div>
      </form>
    </>
  );
}
