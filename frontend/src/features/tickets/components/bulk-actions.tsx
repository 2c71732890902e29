import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { STATS_KEY, TICKETS_KEY } from '@/lib/query-keys';
import { STATUS_LABELS } from '@/lib/labels';
import { STATUSES, type Status, type Ticket } from '@/types/api';
import { assignErrorMessage, assignTicket } from '../api/assign-ticket';
import { useAssignToMe } from '../hooks/use-assign-to-me';
import { useChangeStatus } from '../hooks/use-change-status';

type BulkActionsProps = {
  selected: Ticket[];
  onClear: () => void;
  readOnly: boolean;
};

function failures(list: { ticket: Ticket; error: unknown }[], say: (error: unknown) => string) {
  return list.map(({ ticket, error }) => `#${ticket.id}: ${say(error)}`).join('; ');
}

/**
 * What can be done to the selected tickets at once, one ticket at a time through the same
 * endpoints as a single change: a ticket that fails is named, the others are done.
 */
export function BulkActions({ selected, onClear, readOnly }: BulkActionsProps) {
  const queryClient = useQueryClient();
  const { myId, offered } = useAssignToMe();
  const changeStatus = useChangeStatus();
  const [status, setStatus] = useState<Status>('resolved');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState('');
  const takeable = selected.filter(offered);

  async function assignAllToMe() {
    if (myId === null || busy) return;
    setBusy(true);
    setReport('');
    const failed: { ticket: Ticket; error: unknown }[] = [];
    let done = 0;
    for (const ticket of takeable) {
      try {
        await assignTicket(ticket, myId);
        done += 1;
      } catch (error) {
        failed.push({ ticket, error });
      }
    }
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: TICKETS_KEY }),
      queryClient.invalidateQueries({ queryKey: STATS_KEY }),
    ]);
    setBusy(false);
    const summary = `Assigned ${done} of ${takeable.length} to you.`;
    const refused = failures(failed, assignErrorMessage);
    setReport(failed.length ? `${summary} Couldn’t assign ${refused}.` : summary);
  }

  function setAllStatuses() {
    if (changeStatus.isPending) return;
    setReport('');
    changeStatus.mutate(
      { tickets: selected, status },
      {
        onSuccess: ({ failed }) => {
          if (failed.length) {
            const say = (error: unknown) => (error instanceof Error ? error.message : 'failed');
            setReport(`Couldn’t change ${failures(failed, say)}.`);
          }
        },
        onError: (error) => setReport(`Couldn’t change the status: ${error.message}`),
      },
    );
  }

  const working = busy || changeStatus.isPending;
  return (
    <section className="bulk" aria-label="Bulk actions">
      <strong className="bulk__count">{selected.length} selected</strong>
      {!readOnly && (
        <>
          {myId !== null && (
            <button
              type="button"
              className="button button--secondary button--small"
              aria-disabled={working || takeable.length === 0 || undefined}
              onClick={() => takeable.length > 0 && void assignAllToMe()}
            >
              Assign to me{takeable.length !== selected.length && ` (${takeable.length})`}
            </button>
          )}
          <span className="bulk__status">
            <label htmlFor="bulk-status">Set status</label>
            <select
              id="bulk-status"
              value={status}
              onChange={(event) => setStatus(event.target.value as Status)}
            >
              {STATUSES.map((option) => (
                <option key={option} value={option}>
                  {STATUS_LABELS[option]}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button button--secondary button--small"
              aria-disabled={working || undefined}
              onClick={setAllStatuses}
            >
              Apply
            </button>
          </span>
        </>
      )}
      <button type="button" className="button button--link" onClick={onClear}>
        Clear selection
      </button>
      <p role="status" className="bulk__report">
        {working ? 'Working…' : report}
      </p>
    </section>
  );
}
