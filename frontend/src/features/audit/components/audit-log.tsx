import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { RelativeTime } from '@/components/relative-time';
import { ticketPath } from '@/config/paths';
import { userName, useUsers } from '@/lib/users';
import { useAuditEvents, type AuditEvent } from '../api/audit';

const KINDS = [
  { value: '', label: 'Everything' },
  { value: 'auth.', label: 'Sign-ins and links' },
  { value: 'token.', label: 'API tokens' },
  { value: 'user.', label: 'People and roles' },
  { value: 'ticket.', label: 'Ticket changes' },
  { value: 'message.', label: 'Messages' },
];

/** Admins: who did what, newest first, with filters by kind and by person. */
export function AuditLog() {
  const [action, setAction] = useState('');
  const [userId, setUserId] = useState('');
  const users = useUsers();
  const events = useAuditEvents({
    action: action || undefined,
    user_id: userId ? Number(userId) : undefined,
  });
  const rows = events.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card staff" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <div className="form__row">
        <div className="field">
          <label htmlFor="audit-kind">What</label>
          <select id="audit-kind" value={action} onChange={(e) => setAction(e.target.value)}>
            {KINDS.map((kind) => (
              <option key={kind.value} value={kind.value}>
                {kind.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-user">Who</label>
          <select id="audit-user" value={userId} onChange={(e) => setUserId(e.target.value)}>
            <option value="">Anyone</option>
            {users.data?.map((user) => (
              <option key={user.id} value={user.id}>
                {user.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {events.isPending && <Loading label="Loading the audit log…" />}
      {events.isError && (
        <ErrorAlert error={events.error} onRetry={() => void events.refetch()} />
      )}
      {events.data && rows.length === 0 && <p className="panel__muted">Nothing recorded.</p>}
      <ul className="staff-list" aria-label="Audit events">
        {rows.map((event) => (
          <li key={event.id} className="staff-list__item">
            <AuditRow event={event} who={whoDid(event, users.data)} />
          </li>
        ))}
      </ul>
      {events.hasNextPage && (
        <button
          type="button"
          className="button button--secondary"
          disabled={events.isFetchingNextPage}
          onClick={() => void events.fetchNextPage()}
        >
          Older events
        </button>
      )}
    </section>
  );
}

const NOT_A_PERSON: Record<string, string> = {
  ai: 'AI',
  system: 'System',
  customer: 'A customer',
  open: 'Open access',
};

function whoDid(event: AuditEvent, users: Parameters<typeof userName>[1]): string {
  if (event.actor_kind === 'user' && event.actor_user_id !== null) {
    return userName(event.actor_user_id, users);
  }
  return NOT_A_PERSON[event.actor_kind] ?? event.actor_kind;
}

function AuditRow({ event, who }: { event: AuditEvent; who: string }) {
  const changes = Object.entries(event.changes)
    .map(([field, value]) =>
      Array.isArray(value) ? `${field}: ${String(value[0])} → ${String(value[1])}` : field,
    )
    .join('; ');
  return (
    <div className="staff-list__who">
      <span>
        <strong dir="auto">{who}</strong> · <code>{event.action}</code>
        {event.ticket_id !== null && (
          <>
            {' '}
            on <Link to={ticketPath(event.ticket_id)}>#{event.ticket_id}</Link>
          </>
        )}{' '}
        · <RelativeTime iso={event.at} />
      </span>
      {(changes || event.detail) && (
        <span className="muted" dir="auto">
          {[changes, event.detail].filter(Boolean).join(' · ')}
        </span>
      )}
    </div>
  );
}
