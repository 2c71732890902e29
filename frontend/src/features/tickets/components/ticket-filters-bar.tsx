import { useEffect, useState } from 'react';
import { FieldError } from '@/components/field-error';
import { useMe } from '@/lib/current-user';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS } from '@/lib/labels';
import { useStoredFlag } from '@/lib/use-stored-state';
import { userName, useUsers } from '@/lib/users';
import { teamLabel, useTeams } from '@/lib/teams';
import { CATEGORIES, PRIORITIES, STATUSES } from '@/types/api';
import {
  SEARCH_MAX_LENGTH,
  SLA_STATES,
  activeFilterCount,
  hasActiveFilters,
  NO_FILTERS,
  ORDERINGS,
  type AssigneeFilter,
  type Ordering,
  type SlaFilter,
  type TicketFilters,
} from '../utils/ticket-filters';
import { ChipGroup } from './chip-group';

const FOLDED_KEY = 'supportdesk.tickets.filtersFolded';

const SEARCH_DEBOUNCE_MS = 300;

type TicketFiltersBarProps = {
  filters: TicketFilters;
  onChange: (change: Partial<Omit<TicketFilters, 'page'>>, options?: { replace?: boolean }) => void;
  /** What the server said is wrong with the search (e.g. it holds no words). */
  searchErrors?: string[];
};

export function TicketFiltersBar({ filters, onChange, searchErrors }: TicketFiltersBarProps) {
  const users = useUsers().data;
  const me = useMe().data;
  // An agent of some teams is offered those (and any team the URL already names).
  const scope = me?.team_scope;
  const teams = (useTeams().data ?? []).filter(
    (team) => !scope || scope.includes(team.id) || filters.team.includes(team.id),
  );
  const [folded, setFolded] = useStoredFlag(FOLDED_KEY, false);
  const active = activeFilterCount(filters);
  // Everyone who holds tickets or could; the one in the URL even before the list has loaded.
  const people = (users ?? []).filter((user) => user.role !== 'viewer');
  const assigneeId = /^\d+$/.test(filters.assignee) ? Number(filters.assignee) : null;
  const [searchText, setSearchText] = useState(filters.search);
  const [searchInUrl, setSearchInUrl] = useState(filters.search);
  // The URL can change under us (back button, "Clear filters"); the box must follow it.
  if (filters.search !== searchInUrl) {
    setSearchInUrl(filters.search);
    if (filters.search !== searchText.trim()) setSearchText(filters.search);
  }

  const debouncedSearch = useDebouncedValue(searchText, SEARCH_DEBOUNCE_MS);
  useEffect(() => {
    // Only typing should write the URL, so this must not re-run when the URL itself changes.
    if (debouncedSearch.trim() !== filters.search) {
      onChange({ search: debouncedSearch }, { replace: true });
    }
  }, [debouncedSearch]);

  return (
    <section className="card filters" aria-label="Filters">
      <div className="filters__top filters__top--foldable">
        <div className="field filters__search">
          <label htmlFor="ticket-search">Search</label>
          <input
            id="ticket-search"
            type="search"
            value={searchText}
            onChange={(event) => setSearchText(event.target.value)}
            placeholder="Title or description"
            dir="auto"
            maxLength={SEARCH_MAX_LENGTH}
            autoComplete="off"
            aria-invalid={searchErrors ? true : undefined}
            aria-describedby="ticket-search-error"
          />
          <FieldError id="ticket-search-error" messages={searchErrors} />
        </div>
        <div className="field filters__ordering">
          <label htmlFor="ticket-ordering">Sort by</label>
          <select
            id="ticket-ordering"
            value={filters.ordering}
            onChange={(event) => onChange({ ordering: event.target.value as Ordering })}
          >
            {Object.entries(ORDERINGS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="button button--secondary filters__toggle"
          aria-expanded={!folded}
          aria-controls="ticket-filter-options"
          onClick={() => setFolded(!folded)}
        >
          {folded ? 'Show filters' : 'Hide filters'}
          {active > 0 && ` (${active})`}
        </button>
      </div>
      <div id="ticket-filter-options" className="filters__options" hidden={folded}>
      <div className="filters__row">
        <div className="field filters__assignee">
          <label htmlFor="ticket-assignee">Assignee</label>
          <select
            id="ticket-assignee"
            value={filters.assignee}
            onChange={(event) => onChange({ assignee: event.target.value as AssigneeFilter })}
          >
            <option value="">Anyone</option>
            {(me?.user || filters.assignee === 'me') && <option value="me">Me</option>}
            <option value="none">Unassigned</option>
            {assigneeId !== null && !people.some((user) => user.id === assigneeId) && (
              <option value={filters.assignee} dir="auto">
                {userName(assigneeId, users)}
              </option>
            )}
            {people.map((user) => (
              <option key={user.id} value={String(user.id)} dir="auto">
                {user.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field filters__sla">
          <label htmlFor="ticket-sla">SLA</label>
          <select
            id="ticket-sla"
            value={filters.sla}
            onChange={(event) => onChange({ sla: event.target.value as SlaFilter })}
          >
            <option value="">Any</option>
            {Object.entries(SLA_STATES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <label className="chip filters__review">
          <input
            type="checkbox"
            checked={filters.needsReview}
            onChange={(event) => onChange({ needsReview: event.target.checked })}
          />
          <span>Needs review</span>
        </label>
      </div>
      <ChipGroup
        legend="Status"
        name="status"
        options={STATUSES}
        optionLabels={STATUS_LABELS}
        selected={filters.status}
        onChange={(status) => onChange({ status })}
      />
      <ChipGroup
        legend="Priority"
        name="priority"
        options={PRIORITIES}
        optionLabels={PRIORITY_LABELS}
        selected={filters.priority}
        onChange={(priority) => onChange({ priority })}
      />
      <ChipGroup
        legend="Category"
        name="category"
        options={CATEGORIES}
        optionLabels={CATEGORY_LABELS}
        selected={filters.category}
        onChange={(category) => onChange({ category })}
      />
      <ChipGroup
        legend="Team"
        name="team"
        options={teams.map((team) => team.id)}
        optionLabels={Object.fromEntries(teams.map((team) => [team.id, teamLabel(team.id, teams)]))}
        selected={filters.team}
        onChange={(team) => onChange({ team })}
      />
      </div>
      {hasActiveFilters(filters) && (
        <button
          type="button"
          className="button button--link"
          onClick={() =>
            onChange({ ...NO_FILTERS, category: [], priority: [], status: [], team: [] })
          }
        >
          Clear filters
        </button>
      )}
    </section>
  );
}
