import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { FieldError } from '@/components/field-error';
import { Loading } from '@/components/loading';
import { RelativeTime } from '@/components/relative-time';
import { ticketPath } from '@/config/paths';
import { ProblemError } from '@/lib/api-client';
import { MESSAGE_MAX_LENGTH } from '@/types/api-limits';
import { usePostMessage, useThread, type Message, type MessageCreate } from '../api/thread';

type ConversationProps = {
  ticketId: number;
  /** The AI's reply draft, to start a reply from. */
  draft?: string | undefined;
};

const KIND_LABELS = { customer: 'Customer', reply: 'Reply', note: 'Internal note' } as const;

/** The ticket's thread, and the composer for public replies and internal notes. */
export function Conversation({ ticketId, draft }: ConversationProps) {
  const thread = useThread(ticketId);
  return (
    <section className="card panel conversation" aria-labelledby="conversation-heading">
      <div className="conversation__header">
        <h2 id="conversation-heading">Conversation</h2>
        {thread.data?.waiting_since && <span className="badge">Waiting on customer</span>}
      </div>
      {thread.isPending && <Loading label="Loading the conversation…" />}
      {thread.isError && (
        <ErrorAlert error={thread.error} onRetry={() => void thread.refetch()} />
      )}
      {thread.data && (
        <ol className="thread" aria-label="Messages">
          {thread.data.messages.map((message) => (
            <ThreadMessage key={message.id} message={message} />
          ))}
        </ol>
      )}
      <Composer ticketId={ticketId} draft={draft} />
    </section>
  );
}

function ThreadMessage({ message }: { message: Message }) {
  return (
    <li className={`thread__message thread__message--${message.kind}`}>
      <p className="thread__meta">
        <span dir="auto" className="thread__author">
          {message.author_name}
        </span>{' '}
        · {KIND_LABELS[message.kind]}
        {message.kind === 'note' && ' — not shown to the customer'} ·{' '}
        <RelativeTime iso={message.created_at} />
      </p>
      {/* Text as sent, never HTML: React escapes it, pre-wrap keeps its lines. */}
      <p dir="auto" className="thread__body">
        {message.body}
      </p>
    </li>
  );
}

function Composer({ ticketId, draft }: { ticketId: number; draft: string | undefined }) {
  const [body, setBody] = useState('');
  const post = usePostMessage(ticketId);
  const error = post.error instanceof ProblemError ? post.error : null;
  const mergedInto =
    error?.status === 409 ? /merged into ticket (\d+)/.exec(error.detail ?? '') : null;

  function send(message: Omit<MessageCreate, 'body'>) {
    post.mutate({ ...message, body }, { onSuccess: () => setBody('') });
  }

  return (
    <div className="composer">
      <label htmlFor={`composer-${ticketId}`}>
        Write to the customer, or a note for the team
      </label>
      <textarea
        id={`composer-${ticketId}`}
        dir="auto"
        rows={6}
        maxLength={MESSAGE_MAX_LENGTH}
        value={body}
        aria-describedby={`composer-${ticketId}-error`}
        onChange={(event) => setBody(event.target.value)}
      />
      <FieldError id={`composer-${ticketId}-error`} messages={error?.fieldErrors.body} />
      {mergedInto ? (
        <p role="alert" className="alert alert--error">
          This ticket was merged into{' '}
          <Link to={ticketPath(Number(mergedInto[1]))}>#{mergedInto[1]}</Link>: reply there.
        </p>
      ) : (
        post.isError && !error?.fieldErrors.body && <ErrorAlert error={post.error} />
      )}
      <div className="composer__actions">
        {draft && !body && (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setBody(draft)}
          >
            Use AI draft
          </button>
        )}
        <button
          type="button"
          className="button"
          disabled={!body.trim() || post.isPending}
          onClick={() => send({ kind: 'reply', resolve: false })}
        >
          Send reply
        </button>
        <button
          type="button"
          className="button button--secondary"
          disabled={!body.trim() || post.isPending}
          onClick={() => send({ kind: 'reply', resolve: true })}
        >
          Send and resolve
        </button>
        <button
          type="button"
          className="button button--secondary"
          disabled={!body.trim() || post.isPending}
          onClick={() => send({ kind: 'note', resolve: false })}
        >
          Add internal note
        </button>
      </div>
    </div>
  );
}
