import { useEffect, useState } from 'react';
import { FieldError } from '@/components/field-error';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS } from '@/lib/labels';
import { teamLabel, useTeams } from '@/lib/teams';
import { CATEGORIES, PRIORITIES, STATUSES } from '@/types/api';
import {
  SEARCH_MAX_LENGTH,
  hasActiveFilters,
  ORDERINGS,
  type Ordering,
  type TicketFilters,
} from '../utils/ticket-filters';
import { ChipGroup } from './chip-group';

const SEARCH_DEBOUNCE_MS = 300;

type TicketFiltersBarProps = {
  filters: TicketFilters;
  onChange: (change: Partial<Omit<TicketFilters, 'page'>>, options?: { replace?: boolean }) => void;
  /** What the server said is wrong with the search (e.g. it holds no words). */
  searchErrors?: string[];
};

export function TicketFiltersBar({ filters, onChange, searchErrors }: TicketFiltersBarProps) {
  const teams = useTeams().data ?? [];
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
      <div className="filters__top">
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
      {hasActiveFilters(filters) && (
        <button
          type="button"
          className="button button--link"
          onClick={() => onChange({ category: [], priority: [], status: [], team: [], search: '' })}
        >
          Clear filters
        </button>
      )}
    </section>
  );
}
