import { useEffect, useRef, useState } from 'react';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { RelativeTime } from '@/components/relative-time';
import { ProblemError } from '@/lib/api-client';
import {
  customerSession,
  customerSignOut,
  useCustomerSignIn,
  useCustomerTickets,
  type CustomerTickets,
} from '../api/customer';
import { CustomerTicket } from './customer-ticket';

const STATUS_WORDS = {
  open: 'Open',
  in_progress: 'In progress',
  resolved: 'Resolved',
  closed: 'Closed',
} as const;

/**
 * A customer signed in by a one-time link: their tickets (and their organisation's, when
 * shared), each opened here. `signInSecret`: the link's secret, traded once for a session
 * kept in this tab; without it, the session kept earlier.
 */
export function CustomerPortal({ signInSecret }: { signInSecret: string | null }) {
  const signIn = useCustomerSignIn();
  const [token, setToken] = useState(() => (signInSecret ? null : customerSession.get()));
  const { mutate } = signIn;
  // A one-time secret: traded once, even when an effect runs twice (React's strict mode).
  const traded = useRef<string | null>(null);
  useEffect(() => {
    if (!signInSecret || traded.current === signInSecret) return;
    traded.current = signInSecret;
    mutate(signInSecret, {
      onSuccess: (session) => {
        customerSession.set(session.token);
        setToken(session.token);
        // The one-time secret is spent: keep it out of the address bar and history.
        window.history.replaceState(null, '', window.location.pathname);
      },
    });
  }, [signInSecret, mutate]);

  if (signIn.isError) {
    const refused = signIn.error instanceof ProblemError && signIn.error.status === 401;
    return refused ? (
      <p role="alert" className="alert alert--error">
        This sign-in link does not work any more: it was used, or it expired. Ask us for a
        new one.
      </p>
    ) : (
      <ErrorAlert error={signIn.error} />
    );
  }
  if (!token) return <Loading label="Signing you in…" />;
  return (
    <SignedIn
      token={token}
      onSignOut={() => {
        customerSession.clear();
        setToken(null);
        void customerSignOut(token).catch(() => {});
      }}
    />
  );
}

function SignedIn({ token, onSignOut }: { token: string; onSignOut: () => void }) {
  const tickets = useCustomerTickets(token);
  const [open, setOpen] = useState<number | null>(null);
  if (tickets.isPending) return <Loading label="Loading your tickets…" />;
  if (tickets.isError) {
    const ended = tickets.error instanceof ProblemError && tickets.error.status === 404;
    return ended ? (
      <p role="alert" className="alert alert--error">
        You are signed out. Ask us for a new sign-in link.
      </p>
    ) : (
      <ErrorAlert error={tickets.error} onRetry={() => void tickets.refetch()} />
    );
  }
  return (
    <>
      <p className="customer-portal__who">
        Signed in as <span dir="auto">{tickets.data.name}</span>
        {tickets.data.organisation && (
          <>
            {' '}
            (<span dir="auto">{tickets.data.organisation}</span>)
          </>
        )}{' '}
        <button type="button" className="button button--link" onClick={onSignOut}>
          Sign out
        </button>
      </p>
      {open === null ? (
        <TicketList data={tickets.data} onOpen={setOpen} />
      ) : (
        <>
          <button type="button" className="button button--link" onClick={() => setOpen(null)}>
            ← All your tickets
          </button>
          <CustomerTicket secret={token} ticketId={open} />
        </>
      )}
    </>
  );
}

function TicketList({ data, onOpen }: { data: CustomerTickets; onOpen: (id: number) => void }) {
  const title = data.shared ? 'Your organisation’s tickets' : 'Your tickets';
  return (
    <section className="card panel" aria-labelledby="customer-tickets">
      <h2 id="customer-tickets">{title}</h2>
      {data.tickets.length === 0 ? (
        <p className="panel__muted">No tickets yet.</p>
      ) : (
        <ul className="customer-portal__list">
          {data.tickets.map((ticket) => (
            <li key={ticket.id}>
              <button type="button" className="button button--link" onClick={() => onOpen(ticket.id)}>
                #{ticket.id} <span dir="auto">{ticket.title}</span>
              </button>{' '}
              <span className="panel__muted">
                {STATUS_WORDS[ticket.status]}
                {ticket.waiting_on_you && ' · waiting for your answer'}
                {data.shared && (
                  <>
                    {' '}
                    · filed by <span dir="auto">{ticket.filed_by}</span>
                  </>
                )}{' '}
                · <RelativeTime iso={ticket.updated_at} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
