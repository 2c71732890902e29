import { assignErrorMessage } from '../api/assign-ticket';
import { useAssignToMe } from '../hooks/use-assign-to-me';
import type { Ticket } from '@/types/api';

/** Takes the ticket; when someone was quicker, says who has it (the list then refreshes). */
export function AssignToMeButton({ ticket }: { ticket: Ticket }) {
  const { offered, assignToMe, mutation } = useAssignToMe();
  const errorId = `ticket-${ticket.id}-assign-error`;
  if (!offered(ticket) && !mutation.isError) return null;
  return (
    <span className="assign-me">
      {offered(ticket) && (
        <button
          type="button"
          className="button button--secondary button--small"
          aria-disabled={mutation.isPending || undefined}
          aria-describedby={errorId}
          onClick={() => !mutation.isPending && assignToMe(ticket, { quietErrors: true })}
        >
          Assign to me
        </button>
      )}
      <span id={errorId} role="alert" className="assign-me__error">
        {mutation.isError && `Couldn’t assign: ${assignErrorMessage(mutation.error)}`}
      </span>
    </span>
  );
}
