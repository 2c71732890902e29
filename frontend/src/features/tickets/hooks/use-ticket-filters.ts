import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { paths } from '@/config/paths';
import { readStored, writeStored } from '@/lib/use-stored-state';
import {
  DEFAULT_PAGE_SIZE,
  parsePageSize,
  parseTicketFilters,
  ticketFiltersToParams,
  type TicketFilters,
} from '../utils/ticket-filters';

type FiltersChange = Partial<Omit<TicketFilters, 'page'>>;

const PAGE_SIZE_KEY = 'supportdesk.tickets.pageSize';

/** The page size last chosen on this browser; a link without one uses it. */
export function storedPageSize(): number {
  return readStored(PAGE_SIZE_KEY, parsePageSize) ?? DEFAULT_PAGE_SIZE;
}

/** The list's filters as a URL's query string says them, e.g. for a "back to the list" link. */
export function filtersFromSearch(search: string): TicketFilters {
  return parseTicketFilters(new URLSearchParams(search), storedPageSize());
}

/** The ticket list's filters live in the URL so a reload or a shared link restores them. */
export function useTicketFilters() {
  const [searchParams, setSearchParams] = useSearchParams();
  const defaultPageSize = storedPageSize();
  const filters = useMemo(
    () => parseTicketFilters(searchParams, defaultPageSize),
    [searchParams, defaultPageSize],
  );

  // Any filter change goes back to page 1: the old page may not exist in the new result.
  const setFilters = useCallback(
    (change: FiltersChange, options: { replace?: boolean } = {}) => {
      if (change.pageSize !== undefined) writeStored(PAGE_SIZE_KEY, String(change.pageSize));
      const pageSize = storedPageSize();
      setSearchParams(
        (current) =>
          ticketFiltersToParams(
            { ...parseTicketFilters(current, pageSize), ...change, page: 1 },
            pageSize,
          ),
        options,
      );
    },
    [setSearchParams],
  );

  const setPage = useCallback(
    (page: number) => {
      const pageSize = storedPageSize();
      setSearchParams((current) =>
        ticketFiltersToParams({ ...parseTicketFilters(current, pageSize), page }, pageSize),
      );
    },
    [setSearchParams],
  );

  /** The list's address with these filters, for a link. */
  const hrefFor = useCallback(
    (next: TicketFilters) => {
      const query = ticketFiltersToParams(next, defaultPageSize).toString();
      return query ? `${paths.tickets}?${query}` : paths.tickets;
    },
    [defaultPageSize],
  );

  return { filters, setFilters, setPage, hrefFor };
}
