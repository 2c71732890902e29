import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makePage, makeTicket } from '@/testing/factories';
import { jsonResponse, mockFetch, problemResponse, type FetchCall } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { MAYA, OMAR, workspaceRoutes } from '@/testing/workspace-routes';
import { clearToasts } from '@/lib/toasts';
import type { Ticket } from '@/types/api';
import { TicketBrowser } from './ticket-browser';

const currentUrl = () => screen.getByTestId('location').textContent;
const listCalls = (calls: FetchCall[]) =>
  calls.filter((call) => call.method === 'GET' && call.url.startsWith('/api/tickets/?'));
const queryOf = (url: string) => Object.fromEntries(new URL(url, 'http://x').searchParams);
const writes = (calls: FetchCall[]) => calls.filter((call) => call.method !== 'GET');

beforeEach(() => window.localStorage.clear());
afterEach(() => clearToasts());

/**
 * A server holding these tickets, applying status changes and assignments like the backend;
 * `routed` is what routing makes of a changed ticket (the real server routes in a job, a
 * moment later), and the list leaves out the escalation team's.
 */
function serve(
  initial: Ticket[],
  options: Parameters<typeof workspaceRoutes>[0] = {},
  routed: (ticket: Ticket) => Ticket = (ticket) => ticket,
) {
  const tickets = new Map(initial.map((ticket) => [ticket.id, ticket]));
  const listed = () => [...tickets.values()].filter((ticket) => ticket.team !== 'escalations');
  const routes: Parameters<typeof mockFetch>[0] = {
    ...workspaceRoutes({
      views: { all: 40, mine: 3, unassigned: 12, needs_review: 4 },
      ...options,
    }),
    'GET /api/tickets/': () => jsonResponse(makePage(listed())),
  };
  for (const id of tickets.keys()) {
    routes[`PATCH /api/tickets/${id}/`] = ({ body }) => {
      const ticket = routed({ ...tickets.get(id)!, ...(body as Partial<Ticket>) });
      tickets.set(id, ticket);
      return jsonResponse(ticket);
    };
    routes[`POST /api/tickets/${id}/merge`] = ({ body }) => {
      const into = (body as { into: number }).into;
      if (id === 2) return problemResponse(409, 'Conflict', { detail: 'already merged' });
      const merged = { ...tickets.get(id)!, duplicate_of: into, status: 'closed' as const };
      tickets.set(id, merged);
      return jsonResponse(merged);
    };
    routes[`PUT /api/tickets/${id}/assignee`] = ({ body }) => {
      const change = body as { assignee_id: number | null; previous_assignee_id: number | null };
      const ticket = tickets.get(id)!;
      if (ticket.assignee_id !== change.previous_assignee_id) {
        return problemResponse(409, 'Conflict', {
          detail: 'the ticket was just assigned to Omar Haddad',
        });
      }
      const assigned = { ...ticket, assignee_id: change.assignee_id };
      tickets.set(id, assigned);
      return jsonResponse(assigned);
    };
  }
  return { ...mockFetch(routes), tickets };
}

describe('saved views', () => {
  it('shows each view’s count and sets the list’s filters', async () => {
    const { calls } = serve([makeTicket()]);
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets?category=billing' });

    const views = screen.getByRole('navigation', { name: 'Saved views' });
    const unassigned = await within(views).findByRole('link', { name: 'Unassigned 12' });
    expect(within(views).getByRole('link', { name: 'My tickets 3' })).toBeInTheDocument();
    expect(within(views).getByRole('link', { name: 'Needs review 4' })).toBeInTheDocument();
    const all = within(views).getByRole('link', { name: 'All 40' });
    expect(all).toHaveAttribute('aria-current', 'page');

    await user.click(unassigned);
    // The view's own filters replace the others.
    expect(currentUrl()).toBe('/tickets?status=open%2Cin_progress&assignee=none');
    expect(unassigned).toHaveAttribute('aria-current', 'page');
    await waitFor(() =>
      expect(queryOf(listCalls(calls).at(-1)!.url)).toMatchObject({
        assignee: 'none',
        status: 'open,in_progress',
      }),
    );

    await user.click(within(views).getByRole('link', { name: /My tickets/ }));
    expect(currentUrl()).toBe('/tickets?status=open%2Cin_progress&assignee=me');
    await user.click(within(views).getByRole('link', { name: /SLA breached/ }));
    expect(currentUrl()).toBe('/tickets?sla=breached');
  });

  it('offers no “My tickets” in open access, where nobody is signed in', async () => {
    serve([makeTicket()], { me: null });
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    const views = screen.getByRole('navigation', { name: 'Saved views' });
    await within(views).findByRole('link', { name: 'All 40' });
    await waitFor(() =>
      expect(within(views).queryByRole('link', { name: /My tickets/ })).not.toBeInTheDocument(),
    );
  });
});

describe('assignment on the list', () => {
  it('names each ticket’s assignee, or says it has none', async () => {
    serve([
      makeTicket({ title: 'Refund', assignee_id: OMAR.id, team: 'billing_team' }),
      makeTicket({ title: 'Login', assignee_id: null }),
    ]);
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    const refund = await screen.findByRole('article', { name: 'Refund' });
    expect(await within(refund).findByText('Omar Haddad')).toHaveAttribute('dir', 'auto');
    const login = screen.getByRole('article', { name: 'Login' });
    expect(within(login).getByText('Unassigned')).toBeVisible();
  });

  it('assigns a ticket to me, naming the assignee it showed', async () => {
    const { calls } = serve([makeTicket({ id: 5, title: 'Refund', team: 'billing_team' })]);
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    const row = await screen.findByRole('article', { name: 'Refund' });

    await user.click(await within(row).findByRole('button', { name: 'Assign to me' }));
    expect(writes(calls)).toEqual([
      {
        url: '/api/tickets/5/assignee',
        method: 'PUT',
        body: { assignee_id: MAYA.id, previous_assignee_id: null },
      },
    ]);
    // Refreshed: now mine, so there is nothing left to take.
    expect(await within(row).findByText('(you)')).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: 'Assign to me' })).not.toBeInTheDocument();
  });

  it('says who was quicker when someone took the ticket first, and refreshes', async () => {
    const { calls, tickets } = serve([
      makeTicket({ id: 5, title: 'Refund', team: 'billing_team' }),
    ]);
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    const row = await screen.findByRole('article', { name: 'Refund' });
    const button = await within(row).findByRole('button', { name: 'Assign to me' });
    // Omar takes it while this page still shows it unassigned.
    tickets.set(5, { ...tickets.get(5)!, assignee_id: OMAR.id });
    const before = listCalls(calls).length;

    await user.click(button);
    expect(
      await within(row).findByText('Couldn’t assign: the ticket was just assigned to Omar Haddad'),
    ).toBeInTheDocument();
    await waitFor(() => expect(listCalls(calls).length).toBeGreaterThan(before));
    expect(await within(row).findByText('Omar Haddad')).toBeInTheDocument();
  });

  it('offers no “Assign to me” for another team’s ticket, nor to a viewer', async () => {
    serve([makeTicket({ title: 'Outage', team: 'technical_team' })]);
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    const row = await screen.findByRole('article', { name: 'Outage' });
    await within(row).findByText('Unassigned');
    expect(within(row).queryByRole('button', { name: 'Assign to me' })).not.toBeInTheDocument();
  });
});

describe('display', () => {
  it('switches to a dense table with an assignee column, and remembers it', async () => {
    serve([makeTicket({ id: 5, title: 'Refund', assignee_id: OMAR.id })]);
    const user = userEvent.setup();
    const { unmount } = renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    await screen.findByRole('article', { name: 'Refund' });

    const toggle = screen.getByRole('button', { name: 'Dense table' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await user.click(toggle);
    const table = screen.getByRole('table', { name: 'Tickets' });
    expect(within(table).getByRole('columnheader', { name: 'Assignee' })).toBeInTheDocument();
    const row = within(table).getByRole('row', { name: /Refund/ });
    expect(await within(row).findByText('Omar Haddad')).toBeInTheDocument();
    expect(within(row).getByLabelText('Status of ticket #5')).toBeInTheDocument();
    expect(window.localStorage.getItem('supportdesk.tickets.dense')).toBe('true');

    unmount();
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    expect(await screen.findByRole('table', { name: 'Tickets' })).toBeInTheDocument();
    const toggleAgain = screen.getByRole('button', { name: 'Dense table' });
    expect(toggleAgain).toHaveAttribute('aria-pressed', 'true');
  });

  it('asks for the chosen page size, and keeps it for the next visit', async () => {
    const { calls } = serve([makeTicket()]);
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets?page=2' });
    await waitFor(() => expect(queryOf(listCalls(calls)[0]!.url).page_size).toBe('10'));

    await user.selectOptions(screen.getByLabelText('Per page'), '50');
    await waitFor(() =>
      expect(queryOf(listCalls(calls).at(-1)!.url)).toMatchObject({ page_size: '50', page: '1' }),
    );
    expect(window.localStorage.getItem('supportdesk.tickets.pageSize')).toBe('50');
    expect(screen.getByLabelText('Per page')).toHaveValue('50');
  });

  it('folds the filters away, saying how many are set', async () => {
    serve([makeTicket()]);
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets?status=open&priority=high' });
    const status = screen.getByRole('group', { name: 'Status' });
    expect(status).toBeVisible();

    await user.click(screen.getByRole('button', { name: 'Hide filters (2)' }));
    expect(status).not.toBeVisible();
    expect(screen.getByRole('button', { name: 'Show filters (2)' })).toHaveAttribute(
      'aria-expanded',
      'false',
    );
    // The search stays at hand.
    expect(screen.getByRole('searchbox', { name: 'Search' })).toBeVisible();
    expect(window.localStorage.getItem('supportdesk.tickets.filtersFolded')).toBe('true');
  });

  it('filters by assignee, review and SLA', async () => {
    const { calls } = serve([makeTicket()]);
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    const assignee = screen.getByLabelText('Assignee');
    await within(assignee).findByRole('option', { name: 'Omar Haddad' });

    await user.selectOptions(assignee, String(OMAR.id));
    await user.selectOptions(screen.getByLabelText('SLA'), 'at_risk');
    await user.click(screen.getByRole('checkbox', { name: 'Needs review' }));
    expect(currentUrl()).toBe(`/tickets?assignee=${OMAR.id}&needs_review=true&sla=at_risk`);
    await waitFor(() =>
      expect(queryOf(listCalls(calls).at(-1)!.url)).toMatchObject({
        assignee: String(OMAR.id),
        needs_review: 'true',
        sla: 'at_risk',
      }),
    );
  });
});

describe('selection and bulk actions', () => {
  const three = () => [
    makeTicket({ id: 1, title: 'First', team: 'billing_team', status: 'open' }),
    makeTicket({ id: 2, title: 'Second', team: 'billing_team', status: 'in_progress' }),
    makeTicket({ id: 3, title: 'Third', team: 'billing_team', status: 'open' }),
  ];

  it('assigns the selected tickets to me, one request each', async () => {
    const { calls } = serve(three());
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    await screen.findByRole('article', { name: 'First' });

    await user.click(screen.getByRole('checkbox', { name: 'Select ticket #1' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select ticket #3' }));
    const bulk = screen.getByRole('region', { name: 'Bulk actions' });
    expect(within(bulk).getByText('2 selected')).toBeInTheDocument();

    await user.click(await within(bulk).findByRole('button', { name: 'Assign to me' }));
    expect(await screen.findByText('Assigned 2 of 2 to you.')).toBeInTheDocument();
    expect(writes(calls).map((call) => [call.method, call.url])).toEqual([
      ['PUT', '/api/tickets/1/assignee'],
      ['PUT', '/api/tickets/3/assignee'],
    ]);
  });

  it('sets the status of every selected ticket, and undoes it to each one’s own', async () => {
    const { calls } = serve(three());
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    await screen.findByRole('article', { name: 'First' });

    await user.click(screen.getByRole('checkbox', { name: 'Select all on this page' }));
    const bulk = screen.getByRole('region', { name: 'Bulk actions' });
    expect(within(bulk).getByText('3 selected')).toBeInTheDocument();
    await user.selectOptions(within(bulk).getByLabelText('Set status'), 'resolved');
    await user.click(within(bulk).getByRole('button', { name: 'Apply' }));

    expect(await screen.findByText('3 tickets set to Resolved.')).toBeInTheDocument();
    expect(writes(calls).map((call) => [call.url, call.body])).toEqual([
      ['/api/tickets/1/', { status: 'resolved' }],
      ['/api/tickets/2/', { status: 'resolved' }],
      ['/api/tickets/3/', { status: 'resolved' }],
    ]);

    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(await screen.findByText('Status change undone.')).toBeInTheDocument();
    expect(writes(calls).slice(3).map((call) => [call.url, call.body])).toEqual([
      ['/api/tickets/1/', { status: 'open' }],
      ['/api/tickets/2/', { status: 'in_progress' }],
      ['/api/tickets/3/', { status: 'open' }],
    ]);
  });
});

describe('bulk labels and merge', () => {
  const three = () => [
    makeTicket({ id: 1, title: 'First', team: 'billing_team' }),
    makeTicket({ id: 2, title: 'Second', team: 'billing_team' }),
    makeTicket({ id: 3, title: 'Third', team: 'billing_team' }),
  ];

  /** The list open, tickets #1 and #2 selected: the bulk bar. */
  async function selectFirstTwo() {
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    await screen.findByRole('article', { name: 'First' });
    await user.click(screen.getByRole('checkbox', { name: 'Select ticket #1' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select ticket #2' }));
    return { user, bulk: screen.getByRole('region', { name: 'Bulk actions' }) };
  }

  it('sets the chosen labels on every selected ticket, leaving the others as they are', async () => {
    const { calls } = serve(three());
    const { user, bulk } = await selectFirstTwo();

    await user.selectOptions(within(bulk).getByLabelText('Priority'), 'high');
    await user.click(within(bulk).getByRole('button', { name: 'Set labels' }));
    expect(await screen.findByText('Relabelled 2 of 2.')).toBeInTheDocument();
    expect(writes(calls).map((call) => [call.url, call.body])).toEqual([
      ['/api/tickets/1/', { priority: 'high' }],
      ['/api/tickets/2/', { priority: 'high' }],
    ]);
  });

  it('still says what it did once the changed tickets have left the list', async () => {
    // Critical goes to the escalation team (routing): out of this agent's list.
    const escalated = (ticket: Ticket) =>
      ticket.priority === 'critical' ? { ...ticket, team: 'escalations' } : ticket;
    serve(three(), {}, escalated);
    const { user, bulk } = await selectFirstTwo();

    await user.selectOptions(within(bulk).getByLabelText('Priority'), 'critical');
    await user.click(within(bulk).getByRole('button', { name: 'Set labels' }));
    await waitFor(() => expect(screen.queryByRole('article', { name: 'First' })).toBeNull());
    // The selection, and the bar with it, went with them; the report stays.
    expect(screen.queryByRole('region', { name: 'Bulk actions' })).toBeNull();
    expect(screen.getByText('Relabelled 2 of 2.')).toBeInTheDocument();
    expect(screen.getByRole('article', { name: 'Third' })).toBeInTheDocument();
  });

  it('merges the others into the chosen ticket, naming one that fails', async () => {
    const { calls } = serve(three());
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    await screen.findByRole('article', { name: 'First' });
    await user.click(screen.getByRole('checkbox', { name: 'Select all on this page' }));
    const bulk = screen.getByRole('region', { name: 'Bulk actions' });
    expect(within(bulk).queryByRole('button', { name: /^Merge/ })).toBeNull();

    await user.selectOptions(within(bulk).getByLabelText('Merge into'), '3');
    await user.click(within(bulk).getByRole('button', { name: 'Merge 2 into #3' }));
    expect(
      await screen.findByText('Merged 1 of 2 into #3. Couldn’t merge #2: already merged.'),
    ).toBeInTheDocument();
    expect(writes(calls).map((call) => [call.url, call.body])).toEqual([
      ['/api/tickets/1/merge', { into: 3 }],
      ['/api/tickets/2/merge', { into: 3 }],
    ]);
  });

  it('offers viewers nothing to change', async () => {
    serve(three(), { me: { ...MAYA, role: 'viewer' } });
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    await screen.findByRole('article', { name: 'First' });
    await user.click(screen.getByRole('checkbox', { name: 'Select ticket #1' }));
    const bulk = screen.getByRole('region', { name: 'Bulk actions' });
    expect(within(bulk).queryByRole('button', { name: 'Set labels' })).toBeNull();
  });
});

describe('the status control', () => {
  it('saves a click at once and offers an undo for five seconds', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { calls } = serve([makeTicket({ id: 5, title: 'Refund' })]);
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    const select = await screen.findByLabelText('Status of ticket #5');

    await user.selectOptions(select, 'in_progress');
    expect(writes(calls)).toEqual([
      { url: '/api/tickets/5/', method: 'PATCH', body: { status: 'in_progress' } },
    ]);
    expect(await screen.findByText('Ticket #5 set to In progress.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Undo' })).toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(5_000));
    expect(screen.queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument();
  });

  it('never saves what arrow keys step to; Enter saves it, Escape forgets it', async () => {
    const { calls } = serve([makeTicket({ id: 5, title: 'Refund' })]);
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    const select = await screen.findByLabelText('Status of ticket #5');

    // What a browser does for ArrowDown on a closed select: it changes the value at once.
    fireEvent.keyDown(select, { key: 'ArrowDown' });
    fireEvent.change(select, { target: { value: 'in_progress' } });
    fireEvent.keyDown(select, { key: 'ArrowDown' });
    fireEvent.change(select, { target: { value: 'resolved' } });
    expect(select).toHaveValue('resolved');
    expect(screen.getByText('Enter saves · Esc cancels')).toBeInTheDocument();
    // A save would be under way by now.
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(writes(calls)).toEqual([]);

    fireEvent.keyDown(select, { key: 'Escape' });
    expect(select).toHaveValue('open');
    expect(writes(calls)).toEqual([]);

    fireEvent.keyDown(select, { key: 'ArrowUp' });
    fireEvent.change(select, { target: { value: 'closed' } });
    fireEvent.keyDown(select, { key: 'Enter' });
    await waitFor(() =>
      expect(writes(calls)).toEqual([
        { url: '/api/tickets/5/', method: 'PATCH', body: { status: 'closed' } },
      ]),
    );
    expect(await screen.findByText('Ticket #5 set to Closed.')).toBeInTheDocument();
  });

  it('forgets a stepped-to status when focus leaves', async () => {
    const { calls } = serve([makeTicket({ id: 5, title: 'Refund' })]);
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    const select = await screen.findByLabelText('Status of ticket #5');
    fireEvent.keyDown(select, { key: 'r' });
    fireEvent.change(select, { target: { value: 'resolved' } });
    fireEvent.blur(select);
    expect(select).toHaveValue('open');
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(writes(calls)).toEqual([]);
  });
});

describe('keyboard shortcuts', () => {
  const two = () => [
    makeTicket({ id: 1, title: 'First', team: 'billing_team' }),
    makeTicket({ id: 2, title: 'Second', team: 'billing_team' }),
  ];

  it('moves with j and k, and opens with Enter', async () => {
    serve(two());
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets?status=open' });
    await screen.findByRole('article', { name: 'First' });

    await user.keyboard('j');
    expect(screen.getByRole('link', { name: 'First' })).toHaveFocus();
    await user.keyboard('j');
    expect(screen.getByRole('link', { name: 'Second' })).toHaveFocus();
    await user.keyboard('j');
    expect(screen.getByRole('link', { name: 'Second' })).toHaveFocus();
    await user.keyboard('k');
    expect(screen.getByRole('link', { name: 'First' })).toHaveFocus();
    expect(screen.getByRole('article', { name: 'First' }).closest('li')).toHaveClass('is-active');

    await user.keyboard('{Enter}');
    expect(currentUrl()).toBe('/tickets/1');
  });

  it('assigns with a, resolves with e and selects with x', async () => {
    const { calls } = serve(two());
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    await screen.findByRole('article', { name: 'First' });
    await screen.findAllByRole('button', { name: 'Assign to me' });

    await user.keyboard('jj');
    await user.keyboard('a');
    expect(await screen.findByText('Ticket #2 is assigned to you.')).toBeInTheDocument();
    await user.keyboard('e');
    expect(await screen.findByText('Ticket #2 set to Resolved.')).toBeInTheDocument();
    expect(writes(calls).map((call) => [call.method, call.url, call.body])).toEqual([
      ['PUT', '/api/tickets/2/assignee', { assignee_id: MAYA.id, previous_assignee_id: null }],
      ['PATCH', '/api/tickets/2/', { status: 'resolved' }],
    ]);

    await user.keyboard('x');
    expect(screen.getByRole('checkbox', { name: 'Select ticket #2' })).toBeChecked();
  });

  it('lists the shortcuts on ?, and Escape closes the list', async () => {
    serve(two());
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    await screen.findByRole('article', { name: 'First' });

    await user.keyboard('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(dialog).getByText('Resolve the ticket')).toBeInTheDocument();
    expect(within(dialog).getByText('Next / previous ticket')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('never fires while typing in a field', async () => {
    const { calls } = serve(two());
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    await screen.findByRole('article', { name: 'First' });

    await user.click(screen.getByRole('searchbox', { name: 'Search' }));
    await user.keyboard('jake?');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue('jake?');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveFocus();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(writes(calls)).toEqual([]);
  });
});

it('renders titles and names from people as text, in their own direction', async () => {
  const script = '<img src=x onerror="window.hacked=1">';
  serve([makeTicket({ title: script, description: script, assignee_id: 77 })], {
    users: [{ ...OMAR, id: 77, name: '<b>Eve</b>' }],
  });
  renderWithProviders(<TicketBrowser />, { url: '/tickets' });
  const row = await screen.findByRole('article', { name: script });
  expect(within(row).getByRole('link', { name: script })).toBeInTheDocument();
  expect(await within(row).findByText('<b>Eve</b>')).toHaveAttribute('dir', 'auto');
  expect(row.querySelector('img, b')).toBeNull();
});

it('offers “Assign to me” only for tickets still to do', async () => {
  serve([
    makeTicket({ title: 'Done', team: 'billing_team', status: 'resolved' }),
    makeTicket({ title: 'Going', team: 'billing_team', status: 'in_progress' }),
  ]);
  renderWithProviders(<TicketBrowser />, { url: '/tickets' });
  const going = await screen.findByRole('article', { name: 'Going' });
  await within(going).findByRole('button', { name: 'Assign to me' });
  const done = screen.getByRole('article', { name: 'Done' });
  expect(within(done).queryByRole('button', { name: 'Assign to me' })).not.toBeInTheDocument();
});

it('lets a viewer read the list but change nothing', async () => {
  serve([makeTicket({ id: 5, title: 'Refund', team: 'billing_team' })], {
    me: { ...MAYA, role: 'viewer' },
  });
  renderWithProviders(<TicketBrowser />, { url: '/tickets' });
  const row = await screen.findByRole('article', { name: 'Refund' });
  await waitFor(() => expect(within(row).getByLabelText('Status of ticket #5')).toBeDisabled());
  expect(within(row).queryByRole('button', { name: 'Assign to me' })).not.toBeInTheDocument();
});
