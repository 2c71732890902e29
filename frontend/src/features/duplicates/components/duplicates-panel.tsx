import { useRef } from 'react';
import { Link } from 'react-router';
import { ConfirmButton } from '@/components/confirm-button';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { RelativeTime } from '@/components/relative-time';
import { ticketPath } from '@/config/paths';
import { formatPercent, PRIORITY_LABELS, STATUS_LABELS } from '@/lib/labels';
import type { Ticket } from '@/types/api';
import { useDuplicates, type Duplicate } from '../api/get-duplicates';
import { useMerged } from '../api/get-merged';
import { useMergeTicket } from '../api/merge-ticket';

/** Tickets that read like this one, and closing this one as a duplicate of one of them. */
export function DuplicatesPanel({ ticket }: { ticket: Ticket }) {
  const duplicates = useDuplicates(ticket.id);
  const merge = useMergeTicket(ticket.id);
  const mergedInto = ticket.duplicate_of;
  const titleRef = useRef<HTMLHeadingElement>(null);

  function mergeInto(other: number) {
    // The merge buttons go while it runs (and for good once merged); focus would go with them.
    titleRef.current?.focus();
    merge.mutate(other);
  }

  function renderList() {
    if (duplicates.isPending) return <Loading label="Looking for similar tickets…" />;
    if (!duplicates.data) {
      return <ErrorAlert error={duplicates.error} onRetry={() => void duplicates.refetch()} />;
    }
    const results = duplicates.data.results.filter((found) => found.ticket.id !== mergedInto);
    if (results.length === 0) {
      return <p className="panel__muted">No similar open tickets from the last 30 days.</p>;
    }
    return (
      <ul className="duplicate-list">
        {results.map((found) => (
          <DuplicateItem
            key={found.ticket.id}
            ticketId={ticket.id}
            found={found}
            canMerge={mergedInto === null && !merge.isPending}
            onMerge={() => mergeInto(found.ticket.id)}
          />
        ))}
      </ul>
    );
  }

  return (
    <section className="card panel" aria-labelledby="duplicates-title">
      <h2 id="duplicates-title" className="panel__title" ref={titleRef} tabIndex={-1}>
        Possible duplicates
      </h2>
      <div role="status" className="duplicates__status">
        {mergedInto !== null && (
          <p className="duplicates__merged">
            Merged into <Link to={ticketPath(mergedInto)}>#{mergedInto}</Link>
          </p>
        )}
        {merge.isPending && <Loading label="Merging…" />}
      </div>
      {merge.error && <ErrorAlert error={merge.error} />}
      <MergedHere ticketId={ticket.id} />
      {renderList()}
    </section>
  );
}

/** The tickets closed as duplicates of this one: their customers and urgency count here. */
function MergedHere({ ticketId }: { ticketId: number }) {
  const merged = useMerged(ticketId).data?.results ?? [];
  if (merged.length === 0) return null;
  return (
    <div className="duplicates__merged-here">
      <h3 id="merged-here-title" className="panel__subtitle">
        Merged into this ticket
      </h3>
      <ul className="duplicate-list" aria-labelledby="merged-here-title">
        {merged.map((other) => (
          <li key={other.id} className="duplicate">
            <Link to={ticketPath(other.id)} className="duplicate__link">
              #{other.id} <span dir="auto">{other.title}</span>
            </Link>
            <p className="duplicate__meta">
              {PRIORITY_LABELS[other.priority]} priority · opened{' '}
              <RelativeTime iso={other.created_at} />
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}

type DuplicateItemProps = {
  ticketId: number;
  found: Duplicate;
  canMerge: boolean;
  onMerge: () => void;
};

function DuplicateItem({ ticketId, found, canMerge, onMerge }: DuplicateItemProps) {
  const other = found.ticket;
  return (
    <li className="duplicate">
      <div className="duplicate__head">
        <Link to={ticketPath(other.id)} className="duplicate__link">
          #{other.id} <span dir="auto">{other.title}</span>
        </Link>
        <span className="duplicate__score" title="How alike the two tickets read">
          {formatPercent(found.score)} similar
        </span>
      </div>
      <p className="duplicate__meta">
        {STATUS_LABELS[other.status]} · opened <RelativeTime iso={other.created_at} />
      </p>
      {canMerge && (
        <ConfirmButton
          label="Merge into this"
          question={`Close #${ticketId} as a duplicate of #${other.id}? It will be linked there.`}
          confirmLabel="Merge"
          onConfirm={onMerge}
        />
      )}
    </li>
  );
}
