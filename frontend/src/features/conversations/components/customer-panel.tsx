import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ErrorAlert } from '@/components/error-alert';
import { FieldError } from '@/components/field-error';
import { apiFetch, ProblemError } from '@/lib/api-client';
import { canWork, useMe } from '@/lib/current-user';
import type { components } from '@/types/openapi';
import { threadKey, useThread } from '../api/thread';

type Schemas = components['schemas'];
type Contact = Schemas['ContactOut'];

/**
 * The ticket's customer: who they are, their organisation (agents set it), and the links
 * to hand them until email does: a private link to this ticket, or a one-time sign-in to
 * all their tickets (and their organisation's, when an admin lets it share).
 */
export function CustomerPanel({ ticketId }: { ticketId: number }) {
  const contact = useThread(ticketId).data?.contact;
  const mayWork = canWork(useMe().data);
  if (!contact) return null;
  return (
    <section className="card panel" aria-labelledby="customer-panel">
      <h2 id="customer-panel" className="panel__title">
        Customer
      </h2>
      <p>
        <span dir="auto">{contact.name}</span> ·{' '}
        <span className="panel__muted">{contact.email}</span>
      </p>
      {mayWork ? (
        <OrganisationField ticketId={ticketId} contact={contact} />
      ) : (
        contact.organisation && <p dir="auto">{contact.organisation}</p>
      )}
      {mayWork && <CustomerLinks ticketId={ticketId} />}
    </section>
  );
}

function OrganisationField({ ticketId, contact }: { ticketId: number; contact: Contact }) {
  const queryClient = useQueryClient();
  const [value, setValue] = useState(contact.organisation ?? '');
  const save = useMutation({
    mutationFn: (organisation: string | null) =>
      apiFetch<Contact>(`/api/contacts/${contact.id}`, { method: 'PATCH', body: { organisation } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: threadKey(ticketId) }),
  });
  const errors = save.error instanceof ProblemError ? save.error.fieldErrors : {};

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(value.trim() || null);
  }

  return (
    <form className="customer-panel__organisation" onSubmit={submit}>
      <label htmlFor={`organisation-${contact.id}`}>Organisation</label>
      <input
        id={`organisation-${contact.id}`}
        dir="auto"
        maxLength={200}
        value={value}
        aria-describedby={`organisation-${contact.id}-error`}
        onChange={(event) => setValue(event.target.value)}
      />
      <FieldError id={`organisation-${contact.id}-error`} messages={errors.organisation} />
      <button type="submit" className="button button--secondary button--small">
        Save
      </button>
      {save.isSuccess && <span role="status">Saved.</span>}
    </form>
  );
}

function CustomerLinks({ ticketId }: { ticketId: number }) {
  const [link, setLink] = useState<string | null>(null);
  const privateLink = useMutation({
    mutationFn: () =>
      apiFetch<Schemas['CustomerLinkOut']>(`/api/tickets/${ticketId}/customer-links`, {
        method: 'POST',
      }),
    onSuccess: (made) => setLink(made.url),
  });
  // Sent to the customer's address only: anyone can file a ticket under any address.
  const signIn = useMutation({
    mutationFn: () =>
      apiFetch<Schemas['CustomerSignInSent']>(`/api/tickets/${ticketId}/customer-sign-in-link`, {
        method: 'POST',
      }),
  });
  return (
    <div className="customer-panel__links">
      <button
        type="button"
        className="button button--secondary button--small"
        onClick={() => privateLink.mutate()}
      >
        New private link
      </button>
      <button
        type="button"
        className="button button--secondary button--small"
        onClick={() => signIn.mutate()}
      >
        Email a sign-in link
      </button>
      {link && (
        <div className="field">
          <label htmlFor={`customer-link-${ticketId}`}>Private link to this ticket</label>
          <input
            id={`customer-link-${ticketId}`}
            readOnly
            value={link}
            onFocus={(event) => event.target.select()}
          />
        </div>
      )}
      {signIn.data && (
        <p role="status">
          Sent to {signIn.data.sent_to}: it signs them in to all their tickets, once, within a
          day.
        </p>
      )}
      {privateLink.isError && <ErrorAlert error={privateLink.error} />}
      {signIn.isError && <ErrorAlert error={signIn.error} />}
    </div>
  );
}
