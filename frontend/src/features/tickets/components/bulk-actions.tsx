import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS } from '@/lib/labels';
import { mergeTicket } from '@/lib/merge-ticket';
import { STATS_KEY, TICKETS_KEY } from '@/lib/query-keys';
import { useTeamLabel } from '@/lib/teams';
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
 * endpoints as a single change: a ticket that fails is named, the others are done. What
 * was done is told in a toast, since a change can take tickets out of the list and so out
 * of the selection this bar lives on; what failed is told here, beside the tickets that
 * stay selected.
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
  const teamLabel = useTeamLabel();
  const takeable = selected.filter(offered);
  const target = selected.find((ticket) => ticket.id === into);

  /**
   * `act` on each ticket in turn, then the lists refresh. What failed is said here; what
   * was done is given back, each ticket as it was and as the server answered.
   */
  async function each<T>(
    tickets: Ticket[],
    act: (ticket: Ticket) => Promise<T>,
  ): Promise<[Ticket, T][]> {
    setBusy(true);
    setReport('');
    const failed: Failed = [];
    const done: [Ticket, T][] = [];
    for (const ticket of tickets) {
      try {
        done.push([ticket, await act(ticket)]);
      } catch (error) {
        failed.push({ ticket, error });
      }
    }
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: TICKETS_KEY }),
      queryClient.invalidateQueries({ queryKey: STATS_KEY }),
    ]);
    setBusy(false);
    if (failed.length) setReport(`Couldn’t for ${failures(failed, assignErrorMessage)}.`);
    return done;
  }

  /** A toast, read longer when it says more than what was done. */
  function tell(said: string, notes: string[] = []) {
    showToast([said, ...notes].join(' '), undefined, notes.length ? 3 * TOAST_MS : TOAST_MS);
  }

  /**
   * A new category or priority can route a ticket to another team (which unassigns a
   * person not in it): the tickets leave the list, so say where they went.
   */
  function moves(done: [Ticket, Ticket][]): string[] {
    const byTeam = new Map<string, number[]>();
    const unassigned: number[] = [];
    for (const [before, after] of done) {
      if (after.team === before.team) continue;
      const where = after.team ? `moved to ${teamLabel(after.team)}` : 'left their team';
      byTeam.set(where, [...(byTeam.get(where) ?? []), after.id]);
      if (before.assignee_id !== null && after.assignee_id === null) unassigned.push(after.id);
    }
    const ids = (list: number[]) => list.map((id) => `#${id}`).join(', ');
    const notes = [...byTeam].map(([where, list]) => `${ids(list)} ${where}.`);
    if (unassigned.length) notes.push(`Unassigned (not in the new team): ${ids(unassigned)}.`);
    return notes;
  }

  async function assignAllToMe() {
    if (busy || myId === null || takeable.length === 0) return;
    const done = await each(takeable, (ticket) => assignTicket(ticket, myId));
    if (done.length) tell(`Assigned ${done.length} of ${takeable.length} to you.`);
  }

  async function setAllLabels() {
    const labels: UpdateTicketInput = {
      ...(category && { category }),
      ...(priority && { priority }),
    };
    if (busy || (!category && !priority)) return;
    const done = await each(selected, (ticket) => updateTicket(ticket.id, labels));
    if (done.length) tell(`Relabelled ${done.length} of ${selected.length}.`, moves(done));
  }

  async function mergeAll() {
    if (busy || !target) return;
    const others = selected.filter((ticket) => ticket.id !== target.id);
    const done = await each(others, (ticket) => mergeTicket(ticket.id, target.id));
    if (done.length) tell(`Merged ${done.length} of ${others.length} into #${target.id}.`);
    setInto(null);
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
              onClick={() => void assignAllToMe()}
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
              onClick={() => void setAllLabels()}
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
                  onClick={() => void mergeAll()}
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
