import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS } from '@/lib/labels';
import { mergeTicket } from '@/lib/merge-ticket';
import { STATS_KEY, TICKETS_KEY } from '@/lib/query-keys';
import { showToast, TOAST_MS } from '@/lib/toasts';
import {
  CATEGORIES,
  PRIORITIES,
  STATUSES,
  type Category,
  type Priority,
  type Status,
  type Ticket,
} from '@/types/api';
import { assignErrorMessage, assignTicket } from '../api/assign-ticket';
import { updateTicket, type UpdateTicketInput } from '../api/update-ticket';
import { useAssignToMe } from '../hooks/use-assign-to-me';
import { useChangeStatus } from '../hooks/use-change-status';

type BulkActionsProps = {
  selected: Ticket[];
  onClear: () => void;
  readOnly: boolean;
};

type Failed = { ticket: Ticket; error: unknown }[];

function failures(list: Failed, say: (error: unknown) => string) {
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
  const [category, setCategory] = useState<Category | ''>('');
  const [priority, setPriority] = useState<Priority | ''>('');
  const [into, setInto] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState('');
  const working = busy || changeStatus.isPending;
  const takeable = selected.filter(offered);
  const target = selected.find((ticket) => ticket.id === into);

  /**
   * `act` on each ticket in turn, then the lists refresh and a toast says how it went: a
   * toast, since a change can take tickets out of the list, and so out of the selection
   * this bar lives on (the ones that failed too: someone else may have taken them).
   */
  async function each(
    tickets: Ticket[],
    act: (ticket: Ticket) => Promise<unknown>,
    verb: string,
    said: (done: number) => string,
  ) {
    if (working) return;
    setBusy(true);
    setReport('');
    const failed: Failed = [];
    let done = 0;
    for (const ticket of tickets) {
      try {
        await act(ticket);
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
    const couldnt = failed.length
      ? ` Couldn’t ${verb} ${failures(failed, assignErrorMessage)}.`
      : '';
    // One that says what failed stays long enough to be read.
    showToast(said(done) + couldnt, undefined, couldnt ? 3 * TOAST_MS : TOAST_MS);
  }

  function assignAllToMe() {
    if (myId === null || takeable.length === 0) return;
    void each(
      takeable,
      (ticket) => assignTicket(ticket, myId),
      'assign',
      (done) => `Assigned ${done} of ${takeable.length} to you.`,
    );
  }

  function setAllLabels() {
    const labels: UpdateTicketInput = {
      ...(category && { category }),
      ...(priority && { priority }),
    };
    if (!category && !priority) return;
    void each(
      selected,
      (ticket) => updateTicket(ticket.id, labels),
      'relabel',
      (done) => `Relabelled ${done} of ${selected.length}.`,
    );
  }

  function mergeAll() {
    if (!target) return;
    const others = selected.filter((ticket) => ticket.id !== target.id);
    void each(
      others,
      (ticket) => mergeTicket(ticket.id, target.id),
      'merge',
      (done) => `Merged ${done} of ${others.length} into #${target.id}.`,
    ).then(() => setInto(null));
  }

  function setAllStatuses() {
    if (working) return;
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
              onClick={assignAllToMe}
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
          <span className="bulk__status">
            <label htmlFor="bulk-category">Category</label>
            <select
              id="bulk-category"
              value={category}
              onChange={(event) => setCategory(event.target.value as Category | '')}
            >
              <option value="">Unchanged</option>
              {CATEGORIES.map((option) => (
                <option key={option} value={option}>
                  {CATEGORY_LABELS[option]}
                </option>
              ))}
            </select>
            <label htmlFor="bulk-priority">Priority</label>
            <select
              id="bulk-priority"
              value={priority}
              onChange={(event) => setPriority(event.target.value as Priority | '')}
            >
              <option value="">Unchanged</option>
              {PRIORITIES.map((option) => (
                <option key={option} value={option}>
                  {PRIORITY_LABELS[option]}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button button--secondary button--small"
              aria-disabled={working || (!category && !priority) || undefined}
              onClick={setAllLabels}
            >
              Set labels
            </button>
          </span>
          {selected.length > 1 && (
            <span className="bulk__status">
              <label htmlFor="bulk-merge">Merge into</label>
              <select
                id="bulk-merge"
                value={into ?? ''}
                onChange={(event) => setInto(event.target.value ? Number(event.target.value) : null)}
              >
                <option value="">Choose a ticket…</option>
                {selected.map((ticket) => (
                  <option key={ticket.id} value={ticket.id}>
                    #{ticket.id} {ticket.title}
                  </option>
                ))}
              </select>
              {target && (
                <button
                  type="button"
                  className="button button--secondary button--small"
                  aria-disabled={working || undefined}
                  onClick={mergeAll}
                >
                  Merge {selected.length - 1} into #{target.id}
                </button>
              )}
            </span>
          )}
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
