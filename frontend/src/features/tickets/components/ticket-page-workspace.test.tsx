import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeHistoryEntry, makePage, makeTicket } from '@/testing/factories';
import { FakeEventSource } from '@/testing/fake-event-source';
import { jsonResponse, mockFetch, problemResponse, type FetchCall } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { LEE, MAYA, OMAR, workspaceRoutes } from '@/testing/workspace-routes';
import { useLiveUpdates } from '@/lib/live-updates';
import { clearToasts } from '@/lib/toasts';
import type { Ticket } from '@/types/api';
import { getTicketsQueryKey } from '../api/get-tickets';
import { filtersFromSearch } from '../hooks/use-ticket-filters';
import type { HistoryEntry } from '../api/get-ticket-history';
import { TicketDetail } from './ticket-detail';

const writes = (calls: FetchCall[]) => calls.filter((call) => call.method !== 'GET');
const historyCalls = (calls: FetchCall[]) =>
  calls.filter((call) => call.url === '/api/tickets/12/history');
const currentUrl = () => screen.getByTestId('location').textContent;

afterEach(() => clearToasts());

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

const HISTORY: HistoryEntry[] = [
  makeHistoryEntry({
    at: minutesAgo(90),
    action: 'ticket.created',
    actor_kind: 'open',
    changes: { status: [null, 'open'] },
  }),
  makeHistoryEntry({
    at: minutesAgo(90),
    action: 'ticket.triaged',
    actor_kind: 'ai',
    changes: { category: [null, 'billing'], priority: [null, 'high'] },
    detail: 'confidence 0.91',
  }),
  makeHistoryEntry({
    at: minutesAgo(30),
    action: 'ticket.assigned',
    actor_user_id: MAYA.id,
    actor_name: 'Maya Chen',
    changes: { assignee_id: [null, OMAR.id] },
    detail: 'by hand',
  }),
  makeHistoryEntry({
    at: minutesAgo(20),
    action: 'ticket.assigned',
    actor_kind: 'system',
    changes: { assignee_id: [OMAR.id, null] },
    detail: 'moved to technical_support',
  }),
  makeHistoryEntry({
    at: minutesAgo(5),
    action: 'ticket.updated',
    actor_user_id: MAYA.id,
    actor_name: 'Maya Chen',
    changes: { status: ['open', 'in_progress'] },
  }),
];

/** A server holding ticket 12, applying changes and assignments the way the backend does. */
function serve(initial: Partial<Ticket> = {}, history: HistoryEntry[] = HISTORY) {
  let ticket = makeTicket({ id: 12, title: 'Charged twice', team: 'billing_team', ...initial });
  const mock = mockFetch({
    ...workspaceRoutes(),
    'GET /api/tickets/12/history': () => jsonResponse(history),
    'GET /api/tickets/12/': () => jsonResponse(ticket),
    'PATCH /api/tickets/12/': ({ body }) => {
      ticket = { ...ticket, ...(body as Partial<Ticket>) };
      return jsonResponse(ticket);
    },
    'PUT /api/tickets/12/assignee': ({ body }) => {
      const change = body as { assignee_id: number | null; previous_assignee_id: number | null };
      if (change.previous_assignee_id !== ticket.assignee_id) {
        return problemResponse(409, 'Conflict', {
          detail: 'the ticket was just assigned to Omar Haddad',
        });
      }
      ticket = { ...ticket, assignee_id: change.assignee_id };
      return jsonResponse(ticket);
    },
  });
  return {
    ...mock,
    /** Someone else changes the ticket on the server. */
    change: (update: Partial<Ticket>) => {
      ticket = { ...ticket, ...update };
    },
  };
}

describe('the timeline', () => {
  it('tells the ticket’s history in words, oldest first, with relative times', async () => {
    serve();
    renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });
    const timeline = await screen.findByRole('region', { name: 'Timeline' });
    const entries = await within(timeline).findAllByRole('listitem');
    expect(entries.map((entry) => entry.querySelector('.timeline__text')?.textContent)).toEqual([
      'Someone created the ticket: status open',
      'AI set category billing, priority high (confidence 0.91)',
      'Maya Chen assigned it to Omar Haddad',
      'System unassigned it: moved to technical_support',
      'Maya Chen changed status open → in progress',
    ]);
    expect(entries[4]).toHaveTextContent('5 minutes ago');
    expect(within(entries[2]!).getByText('Omar Haddad')).toHaveAttribute('dir', 'auto');
  });

  it('shows a name full of markup as the text it is', async () => {
    serve({}, [
      makeHistoryEntry({
        action: 'ticket.updated',
        actor_name: '<img src=x onerror="alert(1)">',
        changes: { priority: ['low', 'high'] },
      }),
    ]);
    renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });
    const timeline = await screen.findByRole('region', { name: 'Timeline' });
    expect(await within(timeline).findByText('<img src=x onerror="alert(1)">')).toBeInTheDocument();
    expect(timeline.querySelector('img')).toBeNull();
  });

  it('is read again when the ticket changes, here or live', async () => {
    const { calls } = serve();
    const EventSource = FakeEventSource.install();
    function Live() {
      useLiveUpdates();
      return null;
    }
    const user = userEvent.setup();
    renderWithProviders(
      <>
        <Live />
        <TicketDetail id={12} />
      </>,
      { url: '/tickets/12' },
    );
    await screen.findByRole('region', { name: 'Timeline' });
    await waitFor(() => expect(historyCalls(calls)).toHaveLength(1));

    act(() => EventSource.latest.emit({ type: 'ticket.updated', id: 12 }));
    await waitFor(() => expect(historyCalls(calls)).toHaveLength(2));
    act(() => EventSource.latest.emit({ type: 'ticket.updated', id: 99 }));

    await user.selectOptions(screen.getByLabelText('Status of ticket #12'), 'resolved');
    await waitFor(() => expect(historyCalls(calls)).toHaveLength(3));
  });
});

describe('the assignee', () => {
  it('offers the people of the ticket’s team, and assigns on a pick', async () => {
    const { calls } = serve();
    const user = userEvent.setup();
    renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });
    const panel = await screen.findByRole('region', { name: 'Assignee' });
    const select = within(panel).getByLabelText('Assignee');
    await within(select).findByRole('option', { name: 'Omar Haddad' });
    expect(within(select).getAllByRole('option').map((option) => option.textContent)).toEqual([
      'Unassigned',
      'Maya Chen (you)',
      'Omar Haddad',
    ]);
    expect(within(select).queryByRole('option', { name: new RegExp(LEE.name) })).toBeNull();

    await user.selectOptions(select, String(OMAR.id));
    await waitFor(() =>
      expect(writes(calls)).toEqual([
        {
          url: '/api/tickets/12/assignee',
          method: 'PUT',
          body: { assignee_id: OMAR.id, previous_assignee_id: null },
        },
      ]),
    );
    await waitFor(() => expect(select).toHaveValue(String(OMAR.id)));

    await user.selectOptions(select, '');
    await waitFor(() =>
      expect(writes(calls)[1]?.body).toEqual({
        assignee_id: null,
        previous_assignee_id: OMAR.id,
      }),
    );
  });

  it('takes the ticket with “Assign to me”', async () => {
    const { calls } = serve();
    const user = userEvent.setup();
    renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });
    const panel = await screen.findByRole('region', { name: 'Assignee' });
    await user.click(await within(panel).findByRole('button', { name: 'Assign to me' }));
    await waitFor(() =>
      expect(writes(calls)[0]?.body).toEqual({ assignee_id: MAYA.id, previous_assignee_id: null }),
    );
    await waitFor(() =>
      expect(within(panel).queryByRole('button', { name: 'Assign to me' })).toBeNull(),
    );
    expect(within(panel).getByLabelText('Assignee')).toHaveValue(String(MAYA.id));
  });

  it('says who was quicker, and shows them', async () => {
    const { change } = serve();
    const user = userEvent.setup();
    renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });
    const panel = await screen.findByRole('region', { name: 'Assignee' });
    const button = await within(panel).findByRole('button', { name: 'Assign to me' });
    change({ assignee_id: OMAR.id });

    await user.click(button);
    expect(
      await within(panel).findByText(
        'Couldn’t assign: the ticket was just assigned to Omar Haddad',
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(within(panel).getByLabelText('Assignee')).toHaveValue(String(OMAR.id)),
    );
  });

  it('explains why someone cannot take the ticket', async () => {
    mockFetch({
      ...workspaceRoutes({ history: { 12: [] } }),
      'GET /api/tickets/12/': () =>
        jsonResponse(makeTicket({ id: 12, title: 'Charged twice', team: 'billing_team' })),
      'PUT /api/tickets/12/assignee': () =>
        problemResponse(422, 'Unprocessable', {
          detail: 'this person cannot take the ticket',
          errors: { assignee_id: ['Omar Haddad is deactivated'] },
        }),
    });
    const user = userEvent.setup();
    renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });
    const panel = await screen.findByRole('region', { name: 'Assignee' });
    const select = within(panel).getByLabelText('Assignee');
    await within(select).findByRole('option', { name: 'Omar Haddad' });
    await user.selectOptions(select, String(OMAR.id));
    expect(
      await within(panel).findByText('Couldn’t assign: Omar Haddad is deactivated'),
    ).toBeInTheDocument();
  });

  it('lets a viewer see, not change, who has the ticket', async () => {
    mockFetch({
      ...workspaceRoutes({ me: { ...MAYA, role: 'viewer' }, history: { 12: [] } }),
      'GET /api/tickets/12/': () =>
        jsonResponse(makeTicket({ id: 12, title: 'Charged twice', assignee_id: OMAR.id })),
    });
    renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });
    const panel = await screen.findByRole('region', { name: 'Assignee' });
    await waitFor(() => expect(within(panel).getByLabelText('Assignee')).toBeDisabled());
    expect(within(panel).queryByRole('button', { name: 'Assign to me' })).toBeNull();
  });
});

describe('keyboard shortcuts on the ticket page', () => {
  it('assigns to me with a, and resolves with e (with an undo)', async () => {
    const { calls } = serve();
    const user = userEvent.setup();
    renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });
    await screen.findByRole('heading', { level: 1, name: 'Charged twice' });
    await screen.findByRole('button', { name: 'Assign to me' });

    await user.keyboard('a');
    expect(await screen.findByText('Ticket #12 is assigned to you.')).toBeInTheDocument();
    await user.keyboard('e');
    expect(await screen.findByText('Ticket #12 set to Resolved.')).toBeInTheDocument();
    expect(writes(calls).map((call) => [call.method, call.body])).toEqual([
      ['PUT', { assignee_id: MAYA.id, previous_assignee_id: null }],
      ['PATCH', { status: 'resolved' }],
    ]);
  });

  it('walks the list it came from with j and k, and goes back with u', async () => {
    serve();
    const user = userEvent.setup();
    const { router, queryClient } = renderWithProviders(<TicketDetail id={12} />, {
      url: '/tickets/12',
    });
    queryClient.setQueryData(
      getTicketsQueryKey(filtersFromSearch('?status=open')),
      makePage([makeTicket({ id: 11 }), makeTicket({ id: 12 }), makeTicket({ id: 13 })]),
    );
    await act(() => router.navigate('/tickets/12', { state: { backTo: '/tickets?status=open' } }));
    await screen.findByRole('heading', { level: 1, name: 'Charged twice' });

    await user.keyboard('j');
    expect(currentUrl()).toBe('/tickets/13');
    await act(() => router.navigate('/tickets/12', { state: { backTo: '/tickets?status=open' } }));
    await user.keyboard('k');
    expect(currentUrl()).toBe('/tickets/11');
    await act(() => router.navigate('/tickets/12', { state: { backTo: '/tickets?status=open' } }));
    await user.keyboard('u');
    expect(currentUrl()).toBe('/tickets?status=open');
  });

  it('r starts a reply in the conversation', async () => {
    serve();
    const user = userEvent.setup();
    const composer = <textarea aria-label="Reply" data-reply-composer />;
    renderWithProviders(<TicketDetail id={12} panels={{ main: () => composer }} />, {
      url: '/tickets/12',
    });
    await screen.findByRole('heading', { level: 1, name: 'Charged twice' });
    await user.keyboard('r');
    expect(screen.getByLabelText('Reply')).toHaveFocus();
    expect(screen.getByLabelText('Reply')).toHaveValue('');
  });

  it('lists them on ?, and leaves the fields alone', async () => {
    const { calls } = serve();
    const user = userEvent.setup();
    renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });
    await screen.findByRole('heading', { level: 1, name: 'Charged twice' });

    await user.keyboard('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(dialog).getByText('Assign the ticket to me')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();

    // In the status control, letters step through the options; they save nothing.
    screen.getByLabelText('Status of ticket #12').focus();
    await user.keyboard('ea');
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(writes(calls)).toEqual([]);
  });
});
