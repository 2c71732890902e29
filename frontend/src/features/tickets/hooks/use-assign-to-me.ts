import { canTake, useMe } from '@/lib/current-user';
import { showToast } from '@/lib/toasts';
import type { Ticket } from '@/types/api';
import { assignErrorMessage, useAssignTicket } from '../api/assign-ticket';

/**
 * "Assign to me" for a ticket: whether it is offered (the ticket is still to do; someone is
 * signed in, works on tickets, is in the ticket's team and does not have it already), and
 * the action itself. (A done ticket can still be given to anyone on its page's picker.)
 */
export function useAssignToMe() {
  const me = useMe().data;
  const assign = useAssignTicket();
  const myId = me?.user?.id ?? null;

  function offered(ticket: Ticket): boolean {
    const toDo = ticket.status === 'open' || ticket.status === 'in_progress';
    return toDo && myId !== null && ticket.assignee_id !== myId && canTake(me, ticket.team);
  }

  /**
   * Says so in a toast (the ticket may leave the list it was taken from, e.g. Unassigned);
   * a failure too, unless the caller shows it next to its button (`quietErrors`).
   */
  function assignToMe(ticket: Ticket, { quietErrors = false } = {}) {
    if (myId === null || !offered(ticket)) return;
    assign.mutate(
      { ticket, assigneeId: myId },
      {
        onSuccess: () => showToast(`Ticket #${ticket.id} is assigned to you.`),
        onError: (error) =>
          quietErrors || showToast(`Couldn’t assign #${ticket.id}: ${assignErrorMessage(error)}`),
      },
    );
  }

  return { myId, offered, assignToMe, mutation: assign };
}
