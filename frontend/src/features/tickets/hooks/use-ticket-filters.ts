import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import {
  parseTicketFilters,
  ticketFiltersToParams,
  type TicketFilters,
} from '../utils/ticket-filters';

type FiltersChange = Partial<Omit<TicketFilters, 'page'>>;

/** The ticket list's filters live in the URL so a reload or a shared link restores them. */
export function useTicketFilters() {
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = useMemo(() => parseTicketFilters(searchParams), [searchParams]);

  // Any filter change goes back to page 1: the old page may not exist in the new result.
  const setFilters = useCallback(
    (change: FiltersChange, options: { replace?: boolean } = {}) =>
      setSearchParams(
        (current) => ticketFiltersToParams({ ...parseTicketFilters(current), ...change, page: 1 }),
        options,
      ),
    [setSearchParams],
  );

  const setPage = useCallback(
    (page: number) =>
      setSearchParams((current) => ticketFiltersToParams({ ...parseTicketFilters(current), page })),
    [setSearchParams],
  );

  return { filters, setFilters, setPage };
}
