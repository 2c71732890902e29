import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { STATS_KEY, TICKETS_KEY, ticketKey } from '@/lib/query-keys';
import { STATUS_LABELS } from '@/lib/labels';
import { showToast } from '@/lib/toasts';
import type { Status, Ticket } from '@/types/api';
import { updateTicket } from '../api/update-ticket';

export type StatusChangeInput = { tickets: Ticket[]; status: Status };

type Changed = { ticket: Ticket; previous: Status };
export type StatusOutcome = {
  changed: Changed[];
  failed: { ticket: Ticket; error: unknown }[];
};

async function refresh(queryClient: QueryClient, tickets: Ticket[]) {
  for (const ticket of tickets) queryClient.setQueryData(ticketKey(ticket.id), ticket);
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: TICKETS_KEY }),
    queryClient.invalidateQueries({ queryKey: STATS_KEY }),
  ]);
}

/** One ticket after another, through the single-ticket endpoint; each failure is kept. */
async function setStatuses(changes: { ticket: Ticket; status: Status }[]): Promise<StatusOutcome> {
  const outcome: StatusOutcome = { changed: [], failed: [] };
  for (const { ticket, status } of changes) {
    if (ticket.status === status) continue;
    try {
      const saved = await updateTicket(ticket.id, { status });
      outcome.changed.push({ ticket: saved, previous: ticket.status });
    } catch (error) {
      outcome.failed.push({ ticket, error });
    }
  }
  return outcome;
}

function describe(changed: Changed[], status: Status): string {
  const label = STATUS_LABELS[status];
  const only = changed.length === 1 ? changed[0] : undefined;
  return only
    ? `Ticket #${only.ticket.id} set to ${label}.`
    : `${changed.length} tickets set to ${label}.`;
}

/**
 * Sets the status of one ticket or many, then offers to undo it for a few seconds: Undo puts
 * back each ticket's own earlier status. One ticket that fails fails the whole change (its
 * control says why); of many, the ones that worked stay changed and the rest are reported.
 */
export function useChangeStatus() {
  const queryClient = useQueryClient();

  async function undo(changed: Changed[]) {
    const back = await setStatuses(
      changed.map(({ ticket, previous }) => ({ ticket, status: previous })),
    );
    await refresh(queryClient, back.changed.map(({ ticket }) => ticket));
    const failed = back.failed.map(({ ticket }) => `#${ticket.id}`).join(', ');
    showToast(failed ? `Couldn’t undo the change of ${failed}.` : 'Status change undone.');
  }

  return useMutation({
    mutationFn: async ({ tickets, status }: StatusChangeInput) => {
      const outcome = await setStatuses(tickets.map((ticket) => ({ ticket, status })));
      const single = outcome.failed.length === 1 && tickets.length === 1 ? outcome.failed[0] : null;
      if (single) throw single.error;
      return outcome;
    },
    onSuccess: async (outcome, { status }) => {
      if (outcome.changed.length > 0) {
        const changed = outcome.changed;
        showToast(describe(changed, status), { label: 'Undo', run: () => void undo(changed) });
      }
      await refresh(queryClient, outcome.changed.map(({ ticket }) => ticket));
    },
  });
}
