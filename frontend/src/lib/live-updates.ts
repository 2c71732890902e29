import { useQueryClient, type InvalidateQueryFilters, type QueryKey } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import {
  ANALYSIS_KEY,
  DUPLICATES_PART,
  MERGED_PART,
  STATS_KEY,
  TICKET_LISTS_KEY,
  TICKETS_KEY,
  ticketKey,
} from './query-keys';

export const EVENTS_URL = '/api/events';

/** One message of the server's event stream, e.g. {"type": "ticket.updated", "id": 7}. */
export type LiveEvent = { type: string; id?: number; [field: string]: unknown };

export function parseLiveEvent(data: string): LiveEvent | null {
  try {
    const event: unknown = JSON.parse(data);
    if (typeof event !== 'object' || event === null) return null;
    const { type, id } = event as Record<string, unknown>;
    if (typeof type !== 'string') return null;
    return { ...(event as LiveEvent), id: typeof id === 'number' ? id : undefined };
  } catch {
    return null;
  }
}

/**
 * Any ticket's duplicates, and what was merged into it: a new, changed or merged ticket can
 * join or leave every such list (the event names the merged ticket, not the original).
 */
function isDuplicatesQuery(queryKey: QueryKey): boolean {
  return (
    queryKey[0] === TICKETS_KEY[0] &&
    (queryKey[3] === DUPLICATES_PART || queryKey[3] === MERGED_PART)
  );
}

/** Which cached queries an event makes stale. Unknown kinds of event change nothing. */
export function queriesToRefresh(event: LiveEvent): InvalidateQueryFilters[] {
  const [kind] = event.type.split('.');
  const ticket = event.id === undefined ? [] : [{ queryKey: ticketKey(event.id) }];
  switch (kind) {
    case 'ticket':
      return [
        { queryKey: TICKET_LISTS_KEY },
        { queryKey: STATS_KEY },
        ...ticket,
        { predicate: (query) => isDuplicatesQuery(query.queryKey) },
      ];
    case 'workflow':
      // Team, due time and SLA show on the lists as well as on the ticket's page.
      return [{ queryKey: TICKET_LISTS_KEY }, ...ticket];
    case 'analysis':
      return [{ queryKey: ANALYSIS_KEY }];
    default:
      return [];
  }
}

type LiveListener = (event: LiveEvent) => void;
const listeners = new Set<LiveListener>();

/**
 * Hears every event of the app's one stream, for what is not a refetch (who is typing on
 * a ticket, say). The listener may change between renders; the newest one hears.
 */
export function useLiveEvent(listener: LiveListener): void {
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => {
    const hear: LiveListener = (event) => latest.current(event);
    listeners.add(hear);
    return () => {
      listeners.delete(hear);
    };
  }, []);
}

/**
 * Keeps every page current: one stream of server events for the whole app, each turned
 * into refetches of the queries it touches. EventSource reconnects by itself after a
 * dropped connection, so an error needs no handling beyond not treating it as fatal.
 */
export function useLiveUpdates(url: string = EVENTS_URL): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(url);
    source.onmessage = (message: MessageEvent<string>) => {
      const event = parseLiveEvent(message.data);
      if (!event) return;
      for (const listener of listeners) listener(event);
      for (const filters of queriesToRefresh(event)) {
        void queryClient.invalidateQueries(filters);
      }
    };
    // Handled, so a dropped stream reports nothing; the browser retries on its own.
    source.onerror = () => {};
    return () => source.close();
  }, [queryClient, url]);
}
