import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { FakeEventSource } from '@/testing/fake-event-source';
import { renderWithProviders } from '@/testing/render';
import { parseLiveEvent, queriesToRefresh, useLiveUpdates } from './live-updates';

function Live() {
  useLiveUpdates();
  return null;
}

const LIST = ['tickets', 'list', { page: 1 }];
const STATS = ['stats'];
const TICKET_7 = ['tickets', 'detail', 7];
const WORKFLOW_7 = ['tickets', 'detail', 7, 'workflow'];
const TICKET_8 = ['tickets', 'detail', 8];
const DUPLICATES_8 = ['tickets', 'detail', 8, 'duplicates'];
const RUNS = ['analysis', 'runs', 1];
const ALL = [LIST, STATS, TICKET_7, WORKFLOW_7, TICKET_8, DUPLICATES_8, RUNS];

function seed(queryClient: QueryClient) {
  for (const key of ALL) queryClient.setQueryData(key, { cached: true });
}

function stale(queryClient: QueryClient): QueryKey[] {
  return ALL.filter((key) => queryClient.getQueryState(key)?.isInvalidated);
}

it('opens one stream and refreshes what a ticket event touches', () => {
  const EventSource = FakeEventSource.install();
  const { queryClient } = renderWithProviders(<Live />);
  seed(queryClient);
  expect(EventSource.instances).toHaveLength(1);
  expect(EventSource.latest.url).toBe('/api/events');

  EventSource.latest.emit({ type: 'ticket.updated', id: 7 });
  // The ticket with its workflow, every list, the stats and all duplicate lists; not ticket 8.
  expect(stale(queryClient)).toEqual([LIST, STATS, TICKET_7, WORKFLOW_7, DUPLICATES_8]);
});

it('refreshes the lists, not other tickets, when a ticket is created', () => {
  const EventSource = FakeEventSource.install();
  const { queryClient } = renderWithProviders(<Live />);
  seed(queryClient);
  EventSource.latest.emit({ type: 'ticket.created', id: 99 });
  expect(stale(queryClient)).toEqual([LIST, STATS, DUPLICATES_8]);
});

it('refreshes the analysis runs on an analysis event', () => {
  const EventSource = FakeEventSource.install();
  const { queryClient } = renderWithProviders(<Live />);
  seed(queryClient);
  EventSource.latest.emit({ type: 'analysis.completed', id: 3 });
  expect(stale(queryClient)).toEqual([RUNS]);
});

it('ignores keep-alives, junk and unknown events, and a dropped stream, quietly', () => {
  const consoleError = vi.spyOn(console, 'error');
  const EventSource = FakeEventSource.install();
  const { queryClient, unmount } = renderWithProviders(<Live />);
  seed(queryClient);
  EventSource.latest.emit('not json');
  EventSource.latest.emit({ type: 'something.else', id: 7 });
  EventSource.latest.emit({ id: 7 });
  EventSource.latest.fail();
  expect(stale(queryClient)).toEqual([]);
  expect(consoleError).not.toHaveBeenCalled();

  unmount();
  expect(EventSource.latest.closed).toBe(true);
});

it('parseLiveEvent keeps the type and a numeric id', () => {
  expect(parseLiveEvent('{"type":"ticket.created","id":4}')).toEqual({
    type: 'ticket.created',
    id: 4,
  });
  expect(parseLiveEvent('{"type":"ticket.created","id":"4"}')).toEqual({
    type: 'ticket.created',
    id: undefined,
  });
  expect(parseLiveEvent('[1]')).toBeNull();
  expect(parseLiveEvent('null')).toBeNull();
});

it('queriesToRefresh: a workflow event refreshes the ticket and the lists', () => {
  const keys = queriesToRefresh({ type: 'workflow.updated', id: 5 }).map((f) => f.queryKey);
  expect(keys).toEqual([
    ['tickets', 'list'],
    ['tickets', 'detail', 5],
  ]);
});

it('refreshes a ticket’s history, the saved views’ counts and the workload on its events', () => {
  const HISTORY_7 = ['tickets', 'detail', 7, 'history'];
  const HISTORY_8 = ['tickets', 'detail', 8, 'history'];
  const VIEWS = ['tickets', 'list', 'views'];
  const WORKLOAD = ['stats', 'workload'];
  const keys = [HISTORY_7, HISTORY_8, VIEWS, WORKLOAD];
  const EventSource = FakeEventSource.install();
  const { queryClient } = renderWithProviders(<Live />);
  for (const key of keys) queryClient.setQueryData(key, { cached: true });
  const staleOnes = () => keys.filter((key) => queryClient.getQueryState(key)?.isInvalidated);

  EventSource.latest.emit({ type: 'ticket.updated', id: 7 });
  expect(staleOnes()).toEqual([HISTORY_7, VIEWS, WORKLOAD]);

  for (const key of keys) queryClient.setQueryData(key, { cached: true });
  // Routing (a workflow event) can move the ticket to a team and so unassign it.
  EventSource.latest.emit({ type: 'workflow.updated', id: 8 });
  expect(staleOnes()).toEqual([HISTORY_8, VIEWS]);
});
