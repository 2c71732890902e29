import { STATUS_LABELS } from '@/lib/labels';
import { STATUSES, type Status, type Ticket } from '@/types/api';
import { useUpdateTicket } from '../api/update-ticket';

export function StatusSelect({ ticket }: { ticket: Ticket }) {
  const updateTicket = useUpdateTicket(ticket.id);
  const id = `ticket-${ticket.id}-status`;
  // Show the chosen value while saving, rather than snapping back until the refetch lands.
  const status = (updateTicket.isPending && updateTicket.variables.status) || ticket.status;

  return (
    <div className="status-control">
      <label htmlFor={id} className="visually-hidden">
        Status of ticket #{ticket.id}
      </label>
      <select
        id={id}
        className={`status-select status-select--${status}`}
        value={status}
        // Not `disabled` while saving: that would throw keyboard focus out of the select.
        aria-disabled={updateTicket.isPending || undefined}
        aria-describedby={`${id}-error`}
        onChange={(event) => {
          if (updateTicket.isPending) return;
          updateTicket.mutate({ status: event.target.value as Status });
        }}
      >
        {STATUSES.map((option) => (
          <option key={option} value={option}>
            {STATUS_LABELS[option]}
          </option>
        ))}
      </select>
      <span id={`${id}-error`} role="alert" className="status-control__error">
        {updateTicket.error && `Couldn’t change status: ${updateTicket.error.message}`}
      </span>
    </div>
  );
}
