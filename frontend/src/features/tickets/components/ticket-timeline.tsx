import { Link } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { RelativeTime } from '@/components/relative-time';
import { ticketPath } from '@/config/paths';
import { userName, useUsers } from '@/lib/users';
import { useTicketHistory, type HistoryEntry } from '../api/get-ticket-history';
import { describeHistoryEntry, type Piece } from '../utils/history';

const ACTOR_TONE: Record<string, string> = { ai: 'ai', system: 'system', user: 'user' };
const tone = (entry: HistoryEntry) => ACTOR_TONE[entry.actor_kind] ?? 'other';

/** Everything that happened to the ticket, oldest first, each in a sentence. */
export function TicketTimeline({ ticketId }: { ticketId: number }) {
  const history = useTicketHistory(ticketId);
  const users = useUsers().data;
  const nameOf = (id: number) => userName(id, users);

  function renderEntries() {
    if (history.isPending) return <Loading label="Loading the timeline…" />;
    if (!history.data) {
      return <ErrorAlert error={history.error} onRetry={() => void history.refetch()} />;
    }
    if (history.data.length === 0) {
      return <p className="panel__muted">Nothing has happened to this ticket yet.</p>;
    }
    return (
      <ol className="timeline" aria-busy={history.isFetching}>
        {history.data.map((entry) => (
          <li key={entry.id} className={`timeline__entry timeline__entry--${tone(entry)}`}>
            <span className="timeline__text">
              {describeHistoryEntry(entry, nameOf).map((piece, index) => (
                <PieceView key={index} piece={piece} />
              ))}
            </span>
            <span className="timeline__time">
              <RelativeTime iso={entry.at} />
            </span>
          </li>
        ))}
      </ol>
    );
  }

  return (
    <section className="card panel" aria-labelledby="timeline-title">
      <h2 id="timeline-title" className="panel__title">
        Timeline
      </h2>
      {renderEntries()}
    </section>
  );
}

function PieceView({ piece }: { piece: Piece }) {
  if ('name' in piece) {
    return (
      <bdi dir="auto" className="timeline__name">
        {piece.name}
      </bdi>
    );
  }
  if ('ticket' in piece) return <Link to={ticketPath(piece.ticket)}>#{piece.ticket}</Link>;
  return <>{piece.text}</>;
}
