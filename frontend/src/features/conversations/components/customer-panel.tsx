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

type Made = { label: string; url: string };

function CustomerLinks({ ticketId }: { ticketId: number }) {
  const [made, setMade] = useState<Made | null>(null);
  const issue = useMutation({
    mutationFn: async (kind: 'link' | 'sign-in'): Promise<Made> => {
      if (kind === 'link') {
        const link = await apiFetch<Schemas['CustomerLinkOut']>(
          `/api/tickets/${ticketId}/customer-links`,
          { method: 'POST' },
        );
        return { label: 'Private link to this ticket', url: link.url };
      }
      const signIn = await apiFetch<Schemas['CustomerSignInLinkOut']>(
        `/api/tickets/${ticketId}/customer-sign-in-link`,
        { method: 'POST' },
      );
      return { label: 'Sign-in link to all their tickets (one use, a day)', url: signIn.url };
    },
    onSuccess: setMade,
  });
  return (
    <div className="customer-panel__links">
      <button
        type="button"
        className="button button--secondary button--small"
        onClick={() => issue.mutate('link')}
      >
        New private link
      </button>
      <button
        type="button"
        className="button button--secondary button--small"
        onClick={() => issue.mutate('sign-in')}
      >
        Sign-in link for the customer
      </button>
      {made && (
        <div className="field">
          <label htmlFor={`customer-link-${ticketId}`}>{made.label}</label>
          <input
            id={`customer-link-${ticketId}`}
            readOnly
            value={made.url}
            onFocus={(event) => event.target.select()}
          />
        </div>
      )}
      {issue.isError && <ErrorAlert error={issue.error} />}
    </div>
  );
}
