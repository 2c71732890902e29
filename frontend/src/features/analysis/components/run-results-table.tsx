import { useState } from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/badge';
import { DataTable, type Column } from '@/components/data-table';
import { ticketPath } from '@/config/paths';
import { CATEGORY_LABELS, PRIORITY_LABELS } from '@/lib/labels';
import type { TicketAnalysis } from '../api/types';
import { RESULT_STATUS_LABELS } from '../utils/run-labels';

// A run can hold thousands of tickets; the first hundred show until asked for the rest.
const SHOWN_AT_FIRST = 100;

const COLUMNS: Column[] = [
  { label: 'Ticket' },
  { label: 'Status' },
  { label: 'Category' },
  { label: 'Priority' },
  { label: 'Notes' },
];

/** What the run made of each ticket. */
export function RunResultsTable({ results }: { results: TicketAnalysis[] }) {
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? results : results.slice(0, SHOWN_AT_FIRST);
  return (
    <section className="card panel" aria-labelledby="results-title">
      <h2 id="results-title" className="panel__title">
        Tickets ({results.length})
      </h2>
      <DataTable
        caption="The result for each ticket of the run"
        columns={COLUMNS}
        className="results-table"
      >
        {shown.map((result) => (
          <tr key={result.ticket_id}>
            <th scope="row">
              {result.title === null ? (
                <span className="panel__muted">#{result.ticket_id}</span>
              ) : (
                <Link to={ticketPath(result.ticket_id)}>
                  #{result.ticket_id} <span dir="auto">{result.title}</span>
                </Link>
              )}
            </th>
            <td>
              <Badge tone={`result-${result.status}`}>
                {RESULT_STATUS_LABELS[result.status]}
              </Badge>
            </td>
            <td>{result.category ? CATEGORY_LABELS[result.category] : '—'}</td>
            <td>
              {result.priority ? (
                <Badge tone={`priority-${result.priority}`}>
                  {PRIORITY_LABELS[result.priority]}
                </Badge>
              ) : (
                '—'
              )}
            </td>
            <td className="results-table__notes">
              {result.error ? (
                <span className="facts__error">{result.error}</span>
              ) : (
                (result.notes ?? '')
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      {shown.length < results.length && (
        <button type="button" className="button button--secondary" onClick={() => setShowAll(true)}>
          Show all {results.length} tickets
        </button>
      )}
    </section>
  );
}
