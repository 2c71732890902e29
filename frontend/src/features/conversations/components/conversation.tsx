import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { FieldError } from '@/components/field-error';
import { Loading } from '@/components/loading';
import { RelativeTime } from '@/components/relative-time';
import { ticketPath } from '@/config/paths';
import { ProblemError } from '@/lib/api-client';
import { useMe } from '@/lib/current-user';
import { MESSAGE_MAX_LENGTH } from '@/types/api-limits';
import {
  usePostMessage,
  useThread,
  type Message,
  type MessageCreate,
  type Summary,
} from '../api/thread';
import { useAnnounceTyping, useTypingPeers } from '../hooks/use-typing';

type ConversationProps = {
  ticketId: number;
  /** The AI's reply draft, to start a reply from. */
  draft?: string | undefined;
  /** More ways to write (macros, say), given a function that puts text in the composer. */
  tools?: ((insert: (text: string) => void) => ReactNode) | undefined;
};

const KIND_LABELS = { customer: 'Customer', reply: 'Reply', note: 'Internal note' } as const;

/** The ticket's thread, and the composer for public replies and internal notes. */
export function Conversation({ ticketId, draft, tools }: ConversationProps) {
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
      {thread.data?.summary && <ThreadSummary summary={thread.data.summary} />}
      {thread.data && (
        <ol className="thread" aria-label="Messages">
          {thread.data.messages.map((message) => (
            <ThreadMessage
              key={`${message.ticket_id}-${message.id}`}
              message={message}
              ticketId={ticketId}
            />
          ))}
        </ol>
      )}
      <Composer
        ticketId={ticketId}
        draft={draft}
        tools={tools}
        messages={thread.data?.messages ?? []}
      />
    </section>
  );
}

/** A long thread in one paragraph, saying who wrote it: the model, or the thread's own words. */
function ThreadSummary({ summary }: { summary: Summary }) {
  const by = summary.source === 'extractive' ? 'the thread’s own sentences' : summary.source;
  return (
    <aside className="thread-summary" aria-label="Summary of the conversation">
      <p dir="auto" className="thread-summary__text">
        {summary.text}
      </p>
      <p className="thread-summary__source">Summary · {by}</p>
    </aside>
  );
}

/** `ticketId`: the ticket shown; a message of a ticket merged into it names its own. */
function ThreadMessage({ message, ticketId }: { message: Message; ticketId: number }) {
  return (
    <li className={`thread__message thread__message--${message.kind}`}>
      <p className="thread__meta">
        <span dir="auto" className="thread__author">
          {message.author_name}
        </span>{' '}
        · {KIND_LABELS[message.kind]}
        {message.kind === 'note' && ' — not shown to the customer'} ·{' '}
        <RelativeTime iso={message.created_at} />
        {message.email && <EmailDelivery status={message.email} />}
        {message.by_email && <span className="thread__email"> · by email</span>}
        {message.ticket_id !== ticketId && (
          <>
            {' '}
            · from merged <Link to={ticketPath(message.ticket_id)}>ticket #{message.ticket_id}</Link>
          </>
        )}
      </p>
      {/* Text as sent, never HTML: React escapes it, pre-wrap keeps its lines. */}
      <p dir="auto" className="thread__body">
        {message.body}
      </p>
      {message.attachments && message.attachments.length > 0 && (
        <Attachments ticketId={message.ticket_id} files={message.attachments} />
      )}
    </li>
  );
}

/** The files a customer's email came with: downloads, never opened as pages. */
function Attachments({ ticketId, files }: { ticketId: number; files: NonNullable<Message['attachments']> }) {
  return (
    <ul className="thread__attachments" aria-label="Attachments">
      {files.map((file) => (
        <li key={file.id}>
          <a href={`/api/tickets/${ticketId}/attachments/${file.id}`} download={file.filename}>
            {file.filename}
          </a>{' '}
          <span className="thread__file-size">
            ({formatSize(file.size)}
            {file.inline ? ', in the email’s text' : ''})
          </span>
        </li>
      ))}
    </ul>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

type ComposerProps = {
  ticketId: number;
  draft: string | undefined;
  tools: ConversationProps['tools'];
  /** The thread as shown: what an agent who starts writing has read. */
  messages: Message[];
};

function Composer({ ticketId, draft, tools, messages }: ComposerProps) {
  const [body, setBody] = useState('');
  const post = usePostMessage(ticketId);
  const myId = useMe().data?.user?.id ?? null;
  const announceTyping = useAnnounceTyping(ticketId);
  const typing = useTypingPeers(ticketId, myId);
  const repliedMeanwhile = useRepliedWhileWriting(messages, body !== '', myId);
  const error = post.error instanceof ProblemError ? post.error : null;
  const mergedInto =
    error?.status === 409 ? /merged into ticket (\d+)/.exec(error.detail ?? '') : null;

  function send(message: Omit<MessageCreate, 'body'>) {
    post.mutate({ ...message, body }, { onSuccess: () => setBody('') });
  }

  function write(text: string) {
    setBody(text);
    if (text) announceTyping();
  }

  return (
    <div className="composer">
      <label htmlFor={`composer-${ticketId}`}>
        Write to the customer, or a note for the team
      </label>
      <textarea
        id={`composer-${ticketId}`}
        data-reply-composer
        dir="auto"
        rows={6}
        maxLength={MESSAGE_MAX_LENGTH}
        value={body}
        aria-describedby={`composer-${ticketId}-error`}
        onChange={(event) => write(event.target.value)}
      />
      {typing.length > 0 && (
        <p className="composer__presence" role="status">
          {typing.join(', ')} {typing.length === 1 ? 'is' : 'are'} writing to this ticket…
        </p>
      )}
      {repliedMeanwhile && (
        <p className="alert alert--warning" role="alert">
          {repliedMeanwhile.author_name} {repliedMeanwhile.kind === 'note' ? 'added a note' : 'replied'}{' '}
          while you were writing: read it above before you send.
        </p>
      )}
      <FieldError id={`composer-${ticketId}-error`} messages={error?.fieldErrors.body} />
      {mergedInto ? (
        <p role="alert" className="alert alert--error">
          This ticket was merged into{' '}
          <Link to={ticketPath(Number(mergedInto[1]))}>#{mergedInto[1]}</Link>: reply there.
        </p>
      ) : (
        post.isError && !error?.fieldErrors.body && <ErrorAlert error={post.error} />
      )}
      {tools?.((text) => write(text))}
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

/**
 * The newest message another agent sent since this one started writing (the thread
 * refreshes live), so two agents do not answer the customer twice.
 */
function useRepliedWhileWriting(
  messages: Message[],
  writing: boolean,
  myId: number | null,
): Message | undefined {
  const [seen, setSeen] = useState<number | null>(null);
  const newest = messages.reduce((top, message) => Math.max(top, message.id), 0);
  if (!writing && seen !== null) setSeen(null);
  if (writing && seen === null) setSeen(newest);
  if (!writing || seen === null) return undefined;
  return [...messages]
    .reverse()
    .find(
      (message) =>
        message.id > seen && message.kind !== 'customer' && message.author_user_id !== myId,
    );
}

const EMAIL_WORDS: Record<NonNullable<Message['email']>, string> = {
  queued: 'email queued',
  connecting: 'email sending',
  sending: 'email sending',
  sent: 'emailed',
  failed: 'email refused by the mail server',
  unconfirmed: 'email may not have arrived: check with the customer',
};

/** What became of a reply's email to the customer. */
function EmailDelivery({ status }: { status: NonNullable<Message['email']> }) {
  const trouble = status === 'failed' || status === 'unconfirmed';
  return (
    <span className={trouble ? 'thread__email thread__email--trouble' : 'thread__email'}>
      {' '}
      · {EMAIL_WORDS[status]}
    </span>
  );
}
