import { canTake, canWork, useMe } from '@/lib/current-user';
import { assignableUsers, userName, useUsers } from '@/lib/users';
import { useTeamLabel } from '@/lib/teams';
import type { Ticket } from '@/types/api';
import { assignErrorMessage, useAssignTicket } from '../api/assign-ticket';
import { usePickSelect } from '../hooks/use-pick-select';

/**
 * The ticket page's assignee: anyone of the ticket's team who can take it, or nobody. A pick
 * saves at once (arrow keys only step, as on the status control); "Assign to me" is a click.
 */
export function AssigneePicker({ ticket }: { ticket: Ticket }) {
  const me = useMe().data;
  const users = useUsers();
  const assign = useAssignTicket();
  const teamLabel = useTeamLabel();
  const saving = assign.isPending ? assign.variables.assigneeId : undefined;
  const current = saving !== undefined ? saving : ticket.assignee_id;
  const picker = usePickSelect<string>(current === null ? '' : String(current), (value) => {
    if (assign.isPending) return;
    assign.mutate({ ticket, assigneeId: value === '' ? null : Number(value) });
  });

  const candidates = assignableUsers(users.data ?? [], ticket.team);
  const listed = candidates.some((user) => user.id === ticket.assignee_id);
  const myId = me?.user?.id ?? null;
  const readOnly = me !== undefined && !canWork(me);
  const offerMine = myId !== null && ticket.assignee_id !== myId && canTake(me, ticket.team);
  const id = `ticket-${ticket.id}-assignee`;

  return (
    <section className="card panel assignee-panel" aria-labelledby="assignee-title">
      <h2 id="assignee-title" className="panel__title">
        Assignee
      </h2>
      <div className="assignee-panel__row">
        <label htmlFor={id} className="visually-hidden">
          Assignee
        </label>
        <select
          id={id}
          className="assignee-select"
          {...picker.selectProps}
          disabled={readOnly}
          aria-disabled={assign.isPending || undefined}
          aria-describedby={`${id}-hint ${id}-error`}
        >
          <option value="">Unassigned</option>
          {ticket.assignee_id !== null && !listed && (
            <option value={String(ticket.assignee_id)} dir="auto">
              {userName(ticket.assignee_id, users.data)}
            </option>
          )}
          {candidates.map((user) => (
            <option key={user.id} value={String(user.id)} dir="auto">
              {user.name}
              {user.id === myId ? ' (you)' : ''}
              {user.status === 'away' ? ' · away' : ''}
            </option>
          ))}
        </select>
        {offerMine && !readOnly && (
          <button
            type="button"
            className="button button--secondary button--small"
            aria-disabled={assign.isPending || undefined}
            onClick={() => !assign.isPending && assign.mutate({ ticket, assigneeId: myId })}
          >
            Assign to me
          </button>
        )}
      </div>
      <p id={`${id}-hint`} className="panel__muted assignee-panel__hint">
        {picker.pending
          ? 'Enter saves · Esc cancels'
          : ticket.team
            ? `People of ${teamLabel(ticket.team)}`
            : 'Not routed to a team yet'}
      </p>
      <p id={`${id}-error`} role="alert" className="field__error">
        {assign.isError && `Couldn’t assign: ${assignErrorMessage(assign.error)}`}
      </p>
    </section>
  );
}
