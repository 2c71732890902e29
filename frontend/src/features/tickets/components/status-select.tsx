import { STATUS_LABELS } from '@/lib/labels';
import { STATUSES, type Status, type Ticket } from '@/types/api';
import { useChangeStatus } from '../hooks/use-change-status';
import { usePickSelect } from '../hooks/use-pick-select';

export function StatusSelect({ ticket, readOnly = false }: { ticket: Ticket; readOnly?: boolean }) {
  const change = useChangeStatus();
  const id = `ticket-${ticket.id}-status`;
  // Show the chosen value while saving, rather than snapping back until the refetch lands.
  const saving = change.isPending ? change.variables.status : null;
  const picker = usePickSelect<Status>(saving ?? ticket.status, (status) => {
    if (change.isPending || readOnly) return;
    change.mutate({ tickets: [ticket], status });
  });

  return (
    <div className="status-control">
      <label htmlFor={id} className="visually-hidden">
        Status of ticket #{ticket.id}
      </label>
      <select
        id={id}
        className={`status-select status-select--${picker.value}`}
        {...picker.selectProps}
        // Not `disabled` while saving: that would throw keyboard focus out of the select.
        aria-disabled={change.isPending || undefined}
        // A viewer reads the status and cannot change it.
        disabled={readOnly}
        aria-describedby={`${id}-hint ${id}-error`}
      >
        {STATUSES.map((option) => (
          <option key={option} value={option}>
            {STATUS_LABELS[option]}
          </option>
        ))}
      </select>
      <span id={`${id}-hint`} className="status-control__hint">
        {picker.pending && 'Enter saves · Esc cancels'}
      </span>
      <span id={`${id}-error`} role="alert" className="status-control__error">
        {change.error && `Couldn’t change status: ${change.error.message}`}
      </span>
    </div>
  );
}
