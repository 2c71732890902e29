import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeTicket } from '@/testing/factories';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { workspaceRoutes } from '@/testing/workspace-routes';
import type { Ticket } from '@/types/api';
import { TicketDetail } from './ticket-detail';

const aiTicket = () =>
  makeTicket({
    id: 12,
    title: 'Charged twice',
    description: 'I was charged twice.\nPlease refund the duplicate payment.',
    category: 'billing',
    priority: 'medium',
    category_source: 'ai',
    priority_source: 'ai',
    ai_category: 'billing',
    ai_priority: 'medium',
    ai_confidence: 0.84,
    ai_reasoning: 'billing (100%) from similar tickets',
    ai_provider: 'local:base',
    needs_review: true,
  });

/** A server that keeps one ticket and applies PATCHes to it the way the backend does. */
function serve(initial: Ticket) {
  let ticket = initial;
  return mockFetch({
    ...workspaceRoutes({ history: { 12: [] } }),
    'GET /api/tickets/12/': () => jsonResponse(ticket),
    'PATCH /api/tickets/12/': ({ body }) => {
      const change = body as Partial<Ticket>;
      ticket = {
        ...ticket,
        ...change,
        ...(change.category && { category_source: 'user' as const }),
        ...(change.priority && { priority_source: 'user' as const }),
      };
      return jsonResponse(ticket);
    },
  });
}

const aiPanel = () => screen.getByRole('region', { name: 'AI triage' });

it('shows the whole ticket and what the AI made of it', async () => {
  serve(aiTicket());
  renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });

  expect(screen.getByText('Loading ticket…')).toBeInTheDocument();
  expect(await screen.findByRole('heading', { level: 1, name: 'Charged twice' })).toBeVisible();
  expect(screen.getByText(/Please refund the duplicate payment/)).toBeInTheDocument();
  expect(screen.getByLabelText('Status of ticket #12')).toHaveValue('open');

  const panel = aiPanel();
  expect(within(panel).getByText('Needs review')).toBeInTheDocument();
  expect(within(panel).getByText('84%')).toBeInTheDocument();
  expect(within(panel).getByText('billing (100%) from similar tickets')).toBeInTheDocument();
  expect(within(panel).getByText('local')).toBeInTheDocument();
  expect(within(panel).getByText('base')).toBeInTheDocument();
  expect(within(panel).getAllByText('Accepted')).toHaveLength(2);
  expect(within(panel).queryByText(/Overridden/)).not.toBeInTheDocument();
});

it('gives each label its own confidence when the ticket has them', async () => {
  serve({ ...aiTicket(), ai_category_confidence: 1, ai_priority_confidence: 0.84 });
  renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });

  const category = await screen.findByLabelText('Category');
  expect(category).toHaveAccessibleDescription(/AI-suggested category, 100% confidence/);
  expect(screen.getByLabelText('Priority')).toHaveAccessibleDescription(
    /AI-suggested priority, 84% confidence/,
  );
  expect(within(aiPanel()).getByText('Category 100% · Priority 84%')).toBeInTheDocument();
});

it('lets an agent override the AI’s category, and then says so', async () => {
  const { calls } = serve(aiTicket());
  const user = userEvent.setup();
  renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });

  const category = await screen.findByLabelText('Category');
  expect(category).toHaveValue('billing');
  expect(category).toHaveAccessibleDescription(/AI-suggested category, 84% confidence/);

  await user.selectOptions(category, 'account');
  expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({ category: 'account' });

  const verdict = await within(aiPanel()).findByText('Overridden · AI suggested: Billing');
  // The agent's label leads, in bold; the AI's is only the note after it.
  expect(verdict.previousElementSibling).toHaveTextContent(/^Account$/);
  expect(within(aiPanel()).queryByText('Billing', { selector: 'strong' })).toBeNull();
  expect(screen.getByLabelText('Category')).toHaveValue('account');
  expect(screen.getByLabelText('Category')).not.toHaveAccessibleDescription(/AI-suggested/);
  // Priority is untouched, so the AI's priority still stands.
  expect(within(aiPanel()).getByText('Accepted')).toBeInTheDocument();
});

it('overrides the priority the same way', async () => {
  const { calls } = serve(aiTicket());
  const user = userEvent.setup();
  renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });

  await user.selectOptions(await screen.findByLabelText('Priority'), 'critical');
  expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({ priority: 'critical' });
  const verdict = await within(aiPanel()).findByText('Overridden · AI suggested: Medium');
  expect(verdict.previousElementSibling).toHaveTextContent(/^Critical$/);
});

it('says when the AI suggested nothing', async () => {
  serve(makeTicket({ id: 12, title: 'Old ticket' }));
  renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });
  expect(
    await within(await screen.findByRole('region', { name: 'AI triage' })).findByText(
      /The AI made no suggestion/,
    ),
  ).toBeInTheDocument();
});

it('shows an error next to the labels when a change is refused', async () => {
  mockFetch({
    ...workspaceRoutes({ history: { 12: [] } }),
    'GET /api/tickets/12/': () => jsonResponse(aiTicket()),
    'PATCH /api/tickets/12/': () =>
      problemResponse(409, 'Conflict', { detail: 'the ticket is closed' }),
  });
  const user = userEvent.setup();
  renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });

  await user.selectOptions(await screen.findByLabelText('Category'), 'general');
  expect(await screen.findByText(/Couldn’t save the change: Conflict/)).toBeInTheDocument();
  expect(screen.getByLabelText('Category')).toHaveValue('billing');
});

it('says when the ticket does not exist', async () => {
  mockFetch({
    ...workspaceRoutes({ history: { 12: [] } }),
    'GET /api/tickets/12/': () =>
      problemResponse(404, 'Not found', { detail: 'ticket 12 does not exist' }),
  });
  renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });
  expect(await screen.findByText('There is no ticket #12 you can see.')).toBeInTheDocument();
  expect(screen.getByRole('heading', { level: 1, name: 'Ticket #12' })).toBeInTheDocument();
  expect(screen.getByRole('link', { name: 'Go to the tickets' })).toHaveAttribute(
    'href',
    '/tickets',
  );
});

it('says so when a change routes the ticket to a team the agent is not in', async () => {
  let routedAway = false;
  mockFetch({
    ...workspaceRoutes({ history: { 12: [] } }),
    'GET /api/tickets/12/': () =>
      routedAway
        ? problemResponse(404, 'Not found', { detail: 'ticket 12 does not exist' })
        : jsonResponse(aiTicket()),
    'PATCH /api/tickets/12/': () => {
      routedAway = true; // critical: the escalation team's now
      return jsonResponse({ ...aiTicket(), priority: 'critical', team: 'escalation_team' });
    },
  });
  const user = userEvent.setup();
  renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });

  await user.selectOptions(await screen.findByLabelText('Priority'), 'critical');
  expect(await screen.findByText('There is no ticket #12 you can see.')).toBeInTheDocument();
  expect(screen.getByText('It moved to a team you are not in.')).toBeInTheDocument();
  expect(screen.queryByLabelText('Priority')).toBeNull(); // no controls that can only fail
  expect(screen.queryByRole('alert')).toBeNull();
});

it('shows other failures with a retry', async () => {
  let fail = true;
  mockFetch({
    ...workspaceRoutes({ history: { 12: [] } }),
    'GET /api/tickets/12/': () =>
      fail ? problemResponse(500, 'Internal server error') : jsonResponse(aiTicket()),
  });
  const user = userEvent.setup();
  renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });

  const alert = await screen.findByRole('alert');
  expect(alert).toHaveTextContent('Internal server error');
  fail = false;
  await user.click(within(alert).getByRole('button', { name: 'Try again' }));
  expect(await screen.findByRole('heading', { level: 1, name: 'Charged twice' })).toBeVisible();
});

it('links back to the list the ticket was opened from', async () => {
  serve(aiTicket());
  const { router } = renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });
  await screen.findByRole('heading', { level: 1, name: 'Charged twice' });
  expect(screen.getByRole('link', { name: '← All tickets' })).toHaveAttribute('href', '/tickets');

  await act(() =>
    router.navigate('/tickets/12', { state: { backTo: '/tickets?status=open&page=2' } }),
  );
  await vi.waitFor(() =>
    expect(screen.getByRole('link', { name: '← All tickets' })).toHaveAttribute(
      'href',
      '/tickets?status=open&page=2',
    ),
  );
});

it('shows the routing badges, a merge, and the panels other features add', async () => {
  serve(
    makeTicket({
      id: 12,
      title: 'Charged twice',
      team: 'billing_team',
      due_at: new Date(Date.now() + 90 * 60_000 + 30_000).toISOString(),
      status: 'closed',
      duplicate_of: 3,
    }),
  );
  renderWithProviders(
    <TicketDetail
      id={12}
      panels={{
        main: (ticket) => <p>Main panel for #{ticket.id}</p>,
        side: (ticket) => <p>Side panel for #{ticket.id}</p>,
      }}
    />,
    { url: '/tickets/12' },
  );
  await screen.findByRole('heading', { level: 1, name: 'Charged twice' });
  expect(screen.getByText('Billing team')).toBeInTheDocument();
  // Closed: no countdown for a ticket that owes no response.
  expect(screen.queryByText(/due in/)).not.toBeInTheDocument();
  expect(screen.getByText(/Merged into/)).toHaveTextContent('Merged into #3');
  expect(screen.getByRole('link', { name: '#3' })).toHaveAttribute('href', '/tickets/3');
  expect(screen.getByText('Main panel for #12')).toBeInTheDocument();
  expect(screen.getByText('Side panel for #12')).toBeInTheDocument();
});

/** Ticket 12, whose PATCHes wait for the test to answer them. */
function serveSlowSaves() {
  let ticket = aiTicket();
  const answers: (() => void)[] = [];
  const mock = mockFetch({
    ...workspaceRoutes({ history: { 12: [] } }),
    'GET /api/tickets/12/': () => jsonResponse(ticket),
    'PATCH /api/tickets/12/': ({ body }) =>
      new Promise<Response>((resolve) => {
        answers.push(() => {
          ticket = { ...ticket, ...(body as Partial<Ticket>) };
          resolve(jsonResponse(ticket));
        });
      }),
  });
  return { ...mock, answer: () => act(async () => answers.shift()?.()) };
}

const patches = (calls: { method: string }[]) => calls.filter((call) => call.method === 'PATCH');

it.each([
  ['Status of ticket #12', 'resolved', 'closed'],
  ['Category', 'account', 'general'],
  ['Priority', 'critical', 'low'],
])('keeps focus on “%s” while its change saves, refusing another', async (name, first, second) => {
  const { calls, answer } = serveSlowSaves();
  const user = userEvent.setup();
  renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });
  const select = await screen.findByLabelText(name);

  await user.selectOptions(select, first);
  expect(select).toHaveFocus();
  // Not disabled: a disabled control loses focus (to <body> in browsers).
  expect(select).toBeEnabled();
  expect(select).toHaveAttribute('aria-disabled', 'true');
  await user.selectOptions(select, second);
  expect(patches(calls)).toHaveLength(1);
  expect(select).toHaveValue(first);

  await answer();
  await vi.waitFor(() => expect(select).not.toHaveAttribute('aria-disabled'));
  expect(select).toHaveValue(first);
  expect(select).toHaveFocus();
});

it('lays out right-to-left title and description by their own direction', async () => {
  const description = 'تم خصم المبلغ مرتين من بطاقتي.';
  serve(makeTicket({ id: 12, title: 'الدفع مرتين', description }));
  renderWithProviders(<TicketDetail id={12} />, { url: '/tickets/12' });

  const title = await screen.findByRole('heading', { level: 1, name: 'الدفع مرتين' });
  expect(title).toHaveAttribute('dir', 'auto');
  expect(screen.getByText(description)).toHaveAttribute('dir', 'auto');
});
