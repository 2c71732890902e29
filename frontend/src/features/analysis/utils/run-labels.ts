import type { ResultStatus, RunSelection, RunStatus } from '../api/types';
import { describeRunFilter } from './run-filter';

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  pending: 'Waiting to start',
  processing: 'Running',
  completed: 'Completed',
  failed: 'Failed',
};

export const RESULT_STATUS_LABELS: Record<ResultStatus, string> = {
  pending: 'Pending',
  processing: 'Processing',
  analyzed: 'Analysed',
  failed: 'Failed',
};

/** How a run chose its tickets, in a few words; `teamName` as for `describeRunFilter`. */
export function describeSelection(
  selection: RunSelection,
  teamName: (id: string) => string,
): string {
  switch (selection.mode) {
    case 'pending':
      return 'Tickets not analysed before';
    case 'ids':
      return 'Chosen tickets';
    case 'filter': {
      const filter = describeRunFilter(selection.filter, teamName);
      return filter ? `Filtered: ${filter}` : 'Every ticket';
    }
  }
}

/** "+3", "0", "−2": a change with its sign, as in the summary's shifts. */
export function formatChange(change: number): string {
  if (change > 0) return `+${change}`;
  if (change < 0) return `−${Math.abs(change)}`;
  return '0';
}

/** A share's change in percentage points: 0.052 → "+5 pts". */
export function formatPoints(shareChange: number): string {
  const points = Math.round(shareChange * 100);
  return `${formatChange(points)} pts`;
}
