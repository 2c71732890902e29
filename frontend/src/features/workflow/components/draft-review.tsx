import { Link } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { RelativeTime } from '@/components/relative-time';
import { ticketPath } from '@/config/paths';
import { canWork, useMe } from '@/lib/current-user';
import { userName, useUsers } from '@/lib/users';
import { useDraftsForReview, useSetDraftReview } from '../api/draft-review';
import type { StoredDraft } from '../api/get-ticket-workflow';

/** A shared draft: marked ready for a teammate's review, by whom, and the switch for it. */
export function DraftReview({ ticketId, draft }: { ticketId: number; draft: StoredDraft }) {
  const users = useUsers().data;
  const mayWork = canWork(useMe().data);
  const setReview = useSetDraftReview(ticketId);
  const marked = draft.review_requested_at;
  const by = draft.review_requested_by;
  return (
    <div className="draft__shared">
      {marked && (
        <p role="note" className="draft__review">
          Ready for review — marked by {by === null ? 'someone' : userName(by, users)}{' '}
          <RelativeTime iso={marked} />
        </p>
      )}
      {mayWork && (
        <button
          type="button"
          className="button button--secondary button--small"
          aria-disabled={setReview.isPending || undefined}
          onClick={() => !setReview.isPending && setReview.mutate(!marked)}
        >
          {marked ? 'Withdraw review request' : 'Ready for review'}
        </button>
      )}
      {setReview.isError && <ErrorAlert error={setReview.error} />}
    </div>
  );
}

/** The drafts teammates marked ready for review, each a link to its ticket. */
export function DraftsForReview() {
  const drafts = useDraftsForReview();
  const users = useUsers().data;
  if (!drafts.data?.length) return null;
  return (
    <section className="card panel drafts-for-review" aria-labelledby="drafts-for-review">
      <h2 id="drafts-for-review" className="panel__title">
        Drafts for review ({drafts.data.length})
      </h2>
      <ul>
        {drafts.data.map((item) => (
          <li key={item.ticket_id}>
            <Link to={ticketPath(item.ticket_id)}>
              #{item.ticket_id} <span dir="auto">{item.title}</span>
            </Link>{' '}
            <span className="panel__muted">
              by {item.requested_by === null ? 'someone' : userName(item.requested_by, users)},{' '}
              <RelativeTime iso={item.requested_at} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
