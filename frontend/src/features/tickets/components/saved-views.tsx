import { Link } from 'react-router';
import { useMe } from '@/lib/current-user';
import { useTicketViews } from '../api/get-ticket-views';
import type { TicketFilters } from '../utils/ticket-filters';
import { activeView, filtersForView, SAVED_VIEWS } from '../utils/ticket-views';

type SavedViewsProps = {
  filters: TicketFilters;
  hrefFor: (filters: TicketFilters) => string;
};

/** The queues, as links: each sets the list's filters and shows how many tickets it holds. */
export function SavedViews({ filters, hrefFor }: SavedViewsProps) {
  const counts = useTicketViews().data;
  const me = useMe().data;
  const current = activeView(filters);
  // Open access has nobody signed in, so no "my tickets".
  const views = SAVED_VIEWS.filter((view) => !view.needsUser || me?.user);

  return (
    <nav className="views" aria-label="Saved views">
      <ul className="views__list">
        {views.map((view) => {
          const count = counts?.[view.id];
          return (
            <li key={view.id}>
              <Link
                to={hrefFor(filtersForView(view, filters))}
                className="views__link"
                aria-current={view === current ? 'page' : undefined}
              >
                {view.label}{' '}
                {typeof count === 'number' && <span className="views__count">{count}</span>}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
