import { Link } from 'react-router';
import { Badge } from '@/components/badge';
import { DataTable, type Column } from '@/components/data-table';
import { analysisRunPath, ticketPath } from '@/config/paths';
import { CATEGORY_LABELS, formatPercent, PRIORITY_LABELS, STATUS_LABELS } from '@/lib/labels';
import { CATEGORIES, PRIORITIES } from '@/types/api';
import type { Distribution, RunSummary, Theme, TicketRef } from '../api/types';
import { formatChange, formatPoints } from '../utils/run-labels';

type RunSummaryViewProps = {
  summary: RunSummary;
  /** The summary as prose (an LLM's) or as the structured text ("local"). */
  text: string;
  provider: string | null;
};

/**
 * The executive summary: what the run is about (its themes) first, then what needs action
 * (the open critical tickets), then counts and shifts against the previous run.
 */
export function RunSummaryView({ summary, text, provider }: RunSummaryViewProps) {
  const { totals } = summary;
  const previous = summary.previous_run_id;
  const prose = provider !== null && provider !== 'local';
  return (
    <section className="card panel run-summary" aria-labelledby="summary-title">
      <h2 id="summary-title" className="panel__title">
        Executive summary
      </h2>
      <dl className="stat-grid stat-grid--compact">
        <Total label="Tickets" value={totals.tickets} />
        <Total label="Analysed" value={totals.analyzed} />
        <Total label="Failed" value={totals.failed} />
      </dl>
      {prose && <p className="run-summary__prose">{text}</p>}
      <p className="panel__muted">
        {previous === null ? (
          'No earlier completed run chose its tickets this way: nothing to compare with.'
        ) : (
          <>
            Changes are against <Link to={analysisRunPath(previous)}>run #{previous}</Link> (
            {summary.previous_analyzed} tickets analysed), the last run that chose its tickets
            the same way.
          </>
        )}
        {totals.llm_fallbacks > 0 && ` ${totals.llm_fallbacks} tickets fell back to the local model.`}
      </p>
      {summary.notes.map((note) => (
        <p key={note} className="panel__warning">
          {note}
        </p>
      ))}

      <Themes themes={summary.themes} />

      <CriticalTickets tickets={summary.critical} done={summary.critical_done ?? 0} />

      {totals.analyzed > 0 && (
        <div className="distributions">
          {DISTRIBUTIONS.map(({ key, ...distribution }) => (
            <DistributionTable
              key={key}
              {...distribution}
              rows={summary[key]}
              compared={previous !== null}
            />
          ))}
        </div>
      )}

      {summary.relabelled && summary.relabelled.changed > 0 && (
        <div className="run-summary__block">
          <h3 className="run-summary__heading">Relabelled since run #{previous}</h3>
          <p>
            {summary.relabelled.changed} of {summary.relabelled.compared} tickets seen by both
            runs changed labels; {summary.relabelled.escalated_count} rose in priority and{' '}
            {summary.relabelled.deescalated_count} fell.
          </p>
          {summary.relabelled.escalated.length > 0 && (
            <ul className="ref-list">
              {summary.relabelled.escalated.map((ticket) => (
                <li key={ticket.ticket_id}>
                  <TicketLink ticket={ticket} />{' '}
                  <span className="panel__muted">
                    {labelOf(PRIORITY_LABELS, ticket.from)} → {labelOf(PRIORITY_LABELS, ticket.to)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      {summary.failures.count > 0 && (
        <div className="run-summary__block">
          <h3 className="run-summary__heading">Failures</h3>
          <ul className="ref-list">
            {Object.entries(summary.failures.reasons).map(([reason, count]) => (
              <li key={reason}>
                {count} × {reason}
              </li>
            ))}
          </ul>
        </div>
      )}

      {!prose && text && (
        <details className="run-summary__text">
          <summary>The summary as text</summary>
          <p>{text}</p>
        </details>
      )}
    </section>
  );
}

function Total({ label, value }: { label: string; value: number }) {
  return (
    <div className="stat stat--compact">
      <dt className="stat__label">{label}</dt>
      <dd className="stat__value">{value}</dd>
    </div>
  );
}

type CriticalTicketsProps = { tickets: RunSummary['critical']; done: number };

function CriticalTickets({ tickets, done }: CriticalTicketsProps) {
  return (
    <div className="run-summary__block">
      <h3 className="run-summary__heading">Open critical tickets ({tickets.length})</h3>
      {done > 0 && (
        <p className="panel__muted">
          {done} more {done === 1 ? 'was' : 'were'} critical and {done === 1 ? 'is' : 'are'}{' '}
          already resolved.
        </p>
      )}
      {tickets.length === 0 ? (
        <p className="panel__muted">None open.</p>
      ) : (
        <ul className="ref-list ref-list--critical">
          {tickets.map((ticket) => (
            <li key={ticket.ticket_id}>
              <TicketLink ticket={ticket} />{' '}
              {ticket.status && (
                <Badge tone={`status-${ticket.status}`}>{labelOf(STATUS_LABELS, ticket.status)}</Badge>
              )}{' '}
              {ticket.category && (
                <Badge tone="category">{labelOf(CATEGORY_LABELS, ticket.category)}</Badge>
              )}
              {ticket.notes && <span className="ref-list__notes">{ticket.notes}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Themes({ themes }: { themes: Theme[] }) {
  if (themes.length === 0) return null;
  return (
    <div className="run-summary__block">
      <h3 className="run-summary__heading">Main themes</h3>
      <ol className="theme-list">
        {themes.map((theme) => (
          <li key={theme.theme} className="theme">
            <p className="theme__title">
              <strong>{theme.theme}</strong>{' '}
              <span className="panel__muted">
                {theme.size} {theme.size === 1 ? 'ticket' : 'tickets'} ({formatPercent(theme.share)})
                {theme.top_category && `, mostly ${labelOf(CATEGORY_LABELS, theme.top_category)}`}
              </span>{' '}
              {theme.critical > 0 && (
                <Badge tone="priority-critical">{theme.critical} critical</Badge>
              )}
            </p>
            <ul className="ref-list" aria-label={`Tickets representing “${theme.theme}”`}>
              {theme.tickets.map((ticket) => (
                <li key={ticket.ticket_id}>
                  <TicketLink ticket={ticket} />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </div>
  );
}

// The summary's counts by label, as tables: which key, and how its rows are named.
const DISTRIBUTIONS = [
  {
    key: 'categories',
    title: 'Categories',
    name: 'Category',
    order: CATEGORIES,
    labels: CATEGORY_LABELS,
  },
  {
    key: 'priorities',
    title: 'Priorities',
    name: 'Priority',
    order: PRIORITIES,
    labels: PRIORITY_LABELS,
  },
] as const;

type DistributionTableProps = {
  title: string;
  /** What one row is, e.g. "Category". */
  name: string;
  order: readonly string[];
  labels: Record<string, string>;
  rows: Record<string, Distribution>;
  compared: boolean;
};

function DistributionTable({ title, name, order, labels, rows, compared }: DistributionTableProps) {
  const columns: Column[] = [
    { label: name },
    { label: 'Tickets', numeric: true },
    { label: 'Share', numeric: true },
    ...(compared ? [{ label: 'vs previous', numeric: true }] : []),
  ];
  return (
    <DataTable caption={title} showCaption columns={columns} className="distribution">
      {order.map((key) => {
        const row = rows[key];
        if (!row) return null;
        return (
          <tr key={key}>
            <th scope="row">{labels[key] ?? key}</th>
            <td className="data-table__number">{row.count}</td>
            <td className="data-table__number">{formatPercent(row.share)}</td>
            {compared && <Shift row={row} />}
          </tr>
        );
      })}
    </DataTable>
  );
}

function Shift({ row }: { row: Distribution }) {
  const change = row.change ?? 0;
  const tone = change > 0 ? 'shift shift--up' : change < 0 ? 'shift shift--down' : 'shift';
  return (
    <td className={`data-table__number ${tone}`}>
      {formatChange(change)}
      {row.share_change !== undefined && (
        <span className="shift__points"> ({formatPoints(row.share_change)})</span>
      )}
    </td>
  );
}

function TicketLink({ ticket }: { ticket: TicketRef }) {
  return (
    <Link to={ticketPath(ticket.ticket_id)}>
      #{ticket.ticket_id} {ticket.title ?? 'Deleted ticket'}
    </Link>
  );
}

function labelOf(labels: Record<string, string>, value: string): string {
  return labels[value] ?? value;
}
