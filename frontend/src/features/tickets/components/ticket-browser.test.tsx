import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeMe, makePage, makeTicket, makeUser } from '@/testing/factories';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { workspaceRoutes } from '@/testing/workspace-routes';
import { TicketBrowser } from './ticket-browser';

const listCalls = (calls: { url: string; method: string }[]) =>
  calls.filter((call) => call.method === 'GET' && call.url.startsWith('/api/tickets/?'));

const currentUrl = () => screen.getByTestId('location').textContent;

function queryOf(url: string) {
  return Object.fromEntries(new URL(url, 'http://x').searchParams);
}

describe('filters and the URL', () => {
  it('restores filters from the URL on load', async () => {
    const { calls } = mockFetch({
      ...workspaceRoutes(),
      'GET /api/tickets/': () => jsonResponse(makePage([makeTicket()], 25)),
    });
    renderWithProviders(<TicketBrowser />, {
      url: '/tickets?status=open,in_progress&priority=high&search=vpn&page=2',
    });

    const status = screen.getByRole('group', { name: 'Status' });
    expect(within(status).getByRole('checkbox', { name: 'Open' })).toBeChecked();
    expect(within(status).getByRole('checkbox', { name: 'In progress' })).toBeChecked();
    expect(within(status).getByRole('checkbox', { name: 'Closed' })).not.toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'High' })).toBeChecked();
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue('vpn');

    expect(await screen.findByText('Page 2 of 3')).toBeInTheDocument();
    expect(queryOf(listCalls(calls)[0]!.url)).toEqual({
      page: '2',
      page_size: '10',
      status: 'open,in_progress',
      priority: 'high',
      search: 'vpn',
      ordering: '-created_at',
    });
  });

  it('writes a toggled filter to the URL and goes back to page 1', async () => {
    const { calls } = mockFetch({
      ...workspaceRoutes(),
      'GET /api/tickets/': () => jsonResponse(makePage([makeTicket()], 25)),
    });
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets?status=open&page=2' });
    await screen.findByText('Page 2 of 3');

    await user.click(screen.getByRole('checkbox', { name: 'Critical' }));
    expect(currentUrl()).toBe('/tickets?priority=critical&status=open');
    await screen.findByText('Page 1 of 3');
    expect(queryOf(listCalls(calls).at(-1)!.url)).toMatchObject({
      page: '1',
      priority: 'critical',
      status: 'open',
    });

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(currentUrl()).toBe('/tickets');
  });

  it('debounces the search box by 300 ms before touching the URL', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { calls } = mockFetch({
      ...workspaceRoutes(),
      'GET /api/tickets/': () => jsonResponse(makePage([makeTicket()])),
    });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'refund');
    await act(() => vi.advanceTimersByTimeAsync(200));
    expect(currentUrl()).toBe('/tickets');

    await act(() => vi.advanceTimersByTimeAsync(100));
    expect(currentUrl()).toBe('/tickets?search=refund');
    await act(() => vi.advanceTimersByTimeAsync(50));
    // One request for the initial list and one for the finished word, none per keystroke.
    expect(listCalls(calls).map((call) => queryOf(call.url).search)).toEqual([undefined, 'refund']);
  });
});

describe('ticket rows', () => {
  it('marks AI labels and changes status inline, then refreshes the list', async () => {
    const ticket = makeTicket({
      id: 5,
      title: 'Refund not received',
      category_source: 'ai',
      priority_source: 'ai',
      ai_confidence: 0.62,
      needs_review: true,
    });
    let status = 'open';
    const { calls } = mockFetch({
      ...workspaceRoutes(),
      'GET /api/tickets/': () => jsonResponse(makePage([{ ...ticket, status } as typeof ticket])),
      'PATCH /api/tickets/5/': ({ body }) => {
        status = (body as { status: string }).status;
        return jsonResponse({ ...ticket, status });
      },
    });
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });

    const row = (await screen.findByRole('article', {
      name: 'Refund not received',
    })) as HTMLElement;
    expect(within(row).getByText('AI · 62%')).toBeInTheDocument();
    expect(within(row).getByText('Needs review')).toBeInTheDocument();

    const select = within(row).getByLabelText('Status of ticket #5');
    await user.selectOptions(select, 'resolved');
    expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({ status: 'resolved' });
    await vi.waitFor(() => expect(listCalls(calls)).toHaveLength(2));
    expect(await within(row).findByLabelText('Status of ticket #5')).toHaveValue('resolved');
  });

  it('links each title to the ticket’s page', async () => {
    mockFetch({
      ...workspaceRoutes(),
      'GET /api/tickets/': () => jsonResponse(makePage([makeTicket({ id: 8, title: 'VPN down' })])),
    });
    renderWithProviders(<TicketBrowser />, { url: '/tickets?status=open' });
    const row = (await screen.findByRole('article', { name: 'VPN down' })) as HTMLElement;
    expect(within(row).getByRole('link', { name: 'VPN down' })).toHaveAttribute(
      'href',
      '/tickets/8',
    );
  });

  it('expands a long description on demand', async () => {
    const description = `First line\nSecond line\n${'More detail. '.repeat(20)}`;
    mockFetch({
      ...workspaceRoutes(), 'GET /api/tickets/': () => jsonResponse(makePage([makeTicket({ description })])) });
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });

    const toggle = await screen.findByRole('button', { name: 'Show full description' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(screen.getByRole('button', { name: 'Show less' })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
  });

  it('shows an empty state when no ticket matches', async () => {
    mockFetch({
      ...workspaceRoutes(), 'GET /api/tickets/': () => jsonResponse(makePage([])) });
    renderWithProviders(<TicketBrowser />, { url: '/tickets?category=billing' });
    expect(await screen.findByText('No tickets match these filters.')).toBeInTheDocument();
  });
});

describe('a total the server estimated', () => {
  it('says "about" and still lets the agent page on', async () => {
    mockFetch({
      ...workspaceRoutes(),
      'GET /api/tickets/': () =>
        jsonResponse({
          ...makePage([makeTicket()], 12345),
          count_estimated: true,
          next: '/api/tickets/?page=2',
        }),
    });
    renderWithProviders(<TicketBrowser />, { url: '/tickets?search=refund' });

    expect(await screen.findByText(/Showing 1–1 of about 12,345/)).toBeInTheDocument();
    expect(screen.getByText('about 12345 tickets found')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /next/i })).toBeEnabled();
  });
});

describe('routing on the list', () => {
  it('shows the team, a countdown to the due time and a breached SLA', async () => {
    const inThreeHours = new Date(Date.now() + (3 * 60 + 12) * 60_000 + 30_000).toISOString();
    const anHourAgo = new Date(Date.now() - 61 * 60_000).toISOString();
    mockFetch({
      ...workspaceRoutes(),
      'GET /api/tickets/': () =>
        jsonResponse(
          makePage([
            makeTicket({ title: 'On time', team: 'billing_team', due_at: inThreeHours }),
            makeTicket({
              title: 'Late',
              team: 'escalation_team',
              due_at: anHourAgo,
              sla_breached: true,
            }),
            makeTicket({
              title: 'Done late',
              status: 'resolved',
              due_at: anHourAgo,
              sla_breached: true,
            }),
          ]),
        ),
    });
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });

    const onTime = (await screen.findByRole('article', { name: 'On time' })) as HTMLElement;
    expect(within(onTime).getByText('Billing team')).toBeInTheDocument();
    expect(within(onTime).getByText('due in 3 h 12 min')).not.toHaveClass('due--overdue');
    expect(within(onTime).queryByText('SLA breached')).not.toBeInTheDocument();

    const late = screen.getByRole('article', { name: 'Late' });
    expect(within(late).getByText('Escalation team')).toBeInTheDocument();
    expect(within(late).getByText('SLA breached')).toBeInTheDocument();
    expect(within(late).getByText('overdue by 1 h 1 min')).toHaveClass('due--overdue');

    // Resolved: the breach stays on record, but there is nothing left to count down to.
    const done = screen.getByRole('article', { name: 'Done late' });
    expect(within(done).getByText('SLA breached')).toBeInTheDocument();
    expect(within(done).queryByText(/overdue by/)).not.toBeInTheDocument();
  });

  it('filters by the routing file’s teams and orders by the soonest due time', async () => {
    const { calls } = mockFetch({
      ...workspaceRoutes(),
      'GET /api/tickets/': () => jsonResponse(makePage([makeTicket()])),
      'GET /api/teams': () =>
        jsonResponse([
          { id: 'billing_team', name: 'billing team', escalation: false },
          { id: 'returns_desk', name: 'returns desk', escalation: false },
        ]),
    });
    const user = userEvent.setup();
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    await screen.findByText('Page 1 of 1');

    const teams = screen.getByRole('group', { name: 'Team' });
    // A team added to the routing file is offered without a new UI build.
    expect(await within(teams).findByRole('checkbox', { name: 'Returns desk' })).toBeInTheDocument();
    await user.click(within(teams).getByRole('checkbox', { name: 'Billing team' }));
    expect(currentUrl()).toBe('/tickets?team=billing_team');
    await user.selectOptions(screen.getByLabelText('Sort by'), 'Due soonest');
    expect(currentUrl()).toBe('/tickets?team=billing_team&ordering=due_at');
    await vi.waitFor(() =>
      expect(queryOf(listCalls(calls).at(-1)!.url)).toMatchObject({
        team: 'billing_team',
        ordering: 'due_at',
      }),
    );
  });

  it('offers an agent of some teams only those teams to filter by', async () => {
    const agent = makeUser({ teams: ['billing_team'] });
    mockFetch({
      ...workspaceRoutes({ me: agent }),
      'GET /api/auth/me': () => jsonResponse({ ...makeMe(agent), team_scope: ['billing_team'] }),
      'GET /api/tickets/': () => jsonResponse(makePage([makeTicket()])),
      'GET /api/teams': () =>
        jsonResponse([
          { id: 'billing_team', name: 'billing team', escalation: false },
          { id: 'returns_desk', name: 'returns desk', escalation: false },
        ]),
    });
    renderWithProviders(<TicketBrowser />, { url: '/tickets' });
    const teams = await screen.findByRole('group', { name: 'Team' });
    expect(await within(teams).findByRole('checkbox', { name: 'Billing team' })).toBeInTheDocument();
    expect(within(teams).queryByRole('checkbox', { name: 'Returns desk' })).toBeNull();
  });

  it('links an admin to an analysis of the listed tickets, with the list’s filters', async () => {
    mockFetch({
      // Batch analysis is for admins; open access acts as one.
      ...workspaceRoutes({ me: null }),
      'GET /api/tickets/': () => jsonResponse(makePage([makeTicket()], 12)),
      'GET /api/teams': () =>
        jsonResponse([{ id: 'billing_team', name: 'billing team', escalation: false }]),
    });
    renderWithProviders(<TicketBrowser />, {
      url: '/tickets?status=open&team=billing_team&search=vpn',
    });
    expect(await screen.findByRole('link', { name: 'Analyse these 12 tickets' })).toHaveAttribute(
      'href',
      '/analysis?status=open&team=billing_team&search=vpn',
    );
  });
});

it('lays out right-to-left titles, descriptions and searches by their own direction', async () => {
  const hebrew = makeTicket({ title: 'חיוב כפול', description: 'חויבתי פעמיים החודש.' });
  mockFetch({
      ...workspaceRoutes(), 'GET /api/tickets/': () => jsonResponse(makePage([hebrew])) });
  renderWithProviders(<TicketBrowser />, { url: '/tickets?search=חיוב' });

  const title = await screen.findByRole('heading', { name: 'חיוב כפול' });
  expect(title).toHaveAttribute('dir', 'auto');
  expect(screen.getByText('חויבתי פעמיים החודש.')).toHaveAttribute('dir', 'auto');
  expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveAttribute('dir', 'auto');
});

describe('a search the server cannot run', () => {
  it('says why under the search box instead of showing a list that ignores it', async () => {
    const message = 'type a word, a phrase or a ticket number: symbols alone match nothing';
    mockFetch({
      ...workspaceRoutes(),
      'GET /api/tickets/': ({ url }) =>
        queryOf(url).search === '🙂'
          ? problemResponse(422, 'Validation failed', { errors: { search: [message] } })
          : jsonResponse(makePage([makeTicket()], 1)),
    });
    renderWithProviders(<TicketBrowser />, { url: '/tickets?search=🙂' });

    const box = screen.getByRole('searchbox', { name: 'Search' });
    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(box).toHaveValue('🙂');
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(box).toHaveAccessibleDescription(message);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
