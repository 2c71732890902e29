import { useState } from 'react';
import { Link } from 'react-router';
import { paths, ticketPath } from '@/config/paths';
import { CATEGORY_LABELS, PRIORITY_LABELS } from '@/lib/labels';
import type { Ticket } from '@/types/api';
import { CreateTicketForm } from './create-ticket-form';

export function NewTicket() {
  const [created, setCreated] = useState<Ticket | null>(null);
  // A fresh key remounts the form, which resets every field and the suggestion at once.
  const [formKey, setFormKey] = useState(0);

  function handleCreated(ticket: Ticket) {
    setCreated(ticket);
    setFormKey((key) => key + 1);
  }

  return (
    <>
      <div role="status" aria-live="polite">
        {created && (
          <div className="alert alert--success">
            <p className="alert__title">Ticket #{created.id} created</p>
            <p>
              “<span dir="auto">{created.title}</span>” was filed as{' '}
              {CATEGORY_LABELS[created.category]} ·{' '}
              {PRIORITY_LABELS[created.priority]} priority.{' '}
              <Link to={ticketPath(created.id)}>Open ticket #{created.id}</Link> ·{' '}
              <Link to={paths.tickets}>View all tickets</Link>
            </p>
          </div>
        )}
      </div>
      <CreateTicketForm key={formKey} onCreated={handleCreated} autoFocus={formKey > 0} />
    </>
  );
}
