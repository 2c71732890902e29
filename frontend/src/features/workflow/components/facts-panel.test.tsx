import { act, screen, within } from '@testing-library/react';
import { makeTicket } from '@/testing/factories';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import type { TicketWorkflow } from '../api/get-ticket-workflow';
import { FactsPanel } from './facts-panel';
import { RoutingPanel } from './routing-panel';

const FACTS: TicketWorkflow['facts'] = {
  extracted_at: '2026-11-21T12:00:00Z',
  fields: [
    { name: 'order_id', value: 'ORD-12345', confidence: 1, valid: true, reason: null, raw: 'ORD-12345' },
    { name: 'amount', value: '49.99 USD', confidence: 0.85, valid: true, reason: null, raw: '$49.99' },
    {
      name: 'date',
      value: '2026-13-45',
      confidence: 0.9,
      valid: false,
      reason: 'there is no month 13',
      raw: '2026-13-45',
    },
  ],
};

const ROUTING: TicketWorkflow['routing'] = {
  team: 'billing_team',
  due_at: new Date(Date.now() + (3 * 60 + 12) * 60_000 + 30_000).toISOString(),
  sla_breached: false,
  alternatives: ['escalation_team'],
  reasoning: 'Rule "billing" matched (category billing).',
  decided_at: '2026-11-21T12:00:00Z',
};

const DRAFT: TicketWorkflow['draft'] = {
  content: 'Hello,\n\nThanks for writing in.',
  tone: 'friendly',
  suggested_actions: [],
  source: 'template',
  edited: false,
  updated_at: '2026-11-21T12:00:00Z',
  review_reason: null,
  review_requested_by: null,
  review_requested_at: null,
};

const done = (): TicketWorkflow => ({ ticket_id: 7, facts: FACTS, routing: ROUTING, draft: DRAFT });
const empty = (): TicketWorkflow => ({ ticket_id: 7, facts: null, routing: null, draft: null });

const row = (name: string) => screen.getByRole('rowheader', { name }).closest('tr') as HTMLElement;

it('lists each fact with its confidence and marks invalid ones with the reason', async () => {
  mockFetch({ 'GET /api/tickets/7/workflow': () => jsonResponse(done()) });
  renderWithProviders(<FactsPanel ticketId={7} />);

  expect(await screen.findByRole('table', { name: 'Facts found in the ticket' })).toBeVisible();
  expect(row('Order ID')).toHaveTextContent(/ORD-12345.*100%/);
  expect(row('Amount')).toHaveTextContent('49.99 USD');
  expect(row('Amount')).toHaveTextContent('written “$49.99”');
  expect(row('Amount')).not.toHaveClass('fact--invalid');

  const date = row('Date');
  expect(date).toHaveClass('fact--invalid');
  expect(within(date).getByText('Invalid')).toBeInTheDocument();
  expect(date).toHaveTextContent('there is no month 13');
  expect(date).toHaveTextContent('90%');
  expect(screen.getByText(/1 value looks wrong/)).toBeInTheDocument();
});

it('says it is processing until the background workflow has run, then shows the result', async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  let workflow = empty();
  const { calls } = mockFetch({ 'GET /api/tickets/7/workflow': () => jsonResponse(workflow) });
  renderWithProviders(<FactsPanel ticketId={7} />);

  expect(await screen.findByText('Extracting facts…')).toBeInTheDocument();
  workflow = done();
  await act(() => vi.advanceTimersByTimeAsync(1500));
  expect(await screen.findByRole('rowheader', { name: 'Order ID' })).toBeInTheDocument();

  // Complete: no more polling.
  const asked = calls.length;
  await act(() => vi.advanceTimersByTimeAsync(5000));
  expect(calls).toHaveLength(asked);
});

it('says so when a ticket has no facts to find', async () => {
  mockFetch({
    'GET /api/tickets/7/workflow': () =>
      jsonResponse({ ...done(), facts: { fields: [], extracted_at: '2026-11-21T12:00:00Z' } }),
  });
  renderWithProviders(<FactsPanel ticketId={7} />);
  expect(await screen.findByText(/No order numbers, amounts/)).toBeInTheDocument();
});

describe('routing', () => {
  const fact = (label: string) => screen.getByText(label, { selector: 'dt' }).nextElementSibling;

  it('shows the team, the alternatives, the reasoning and a countdown to the due time', async () => {
    mockFetch({ 'GET /api/tickets/7/workflow': () => jsonResponse(done()) });
    renderWithProviders(<RoutingPanel ticket={makeTicket({ id: 7 })} />);

    expect(await screen.findByText('Billing team')).toBeInTheDocument();
    expect(fact('Due')).toHaveTextContent('due in 3 h 12 min');
    expect(fact('Alternatives')).toHaveTextContent('Escalation team');
    expect(fact('Why')).toHaveTextContent('Rule "billing" matched');
  });

  it('shows a breached SLA in red as overdue', async () => {
    const late = {
      ...ROUTING,
      due_at: new Date(Date.now() - 90 * 60_000).toISOString(),
      sla_breached: true,
    };
    mockFetch({ 'GET /api/tickets/7/workflow': () => jsonResponse({ ...done(), routing: late }) });
    renderWithProviders(<RoutingPanel ticket={makeTicket({ id: 7 })} />);
    expect(await screen.findByText('overdue by 1 h 30 min')).toHaveClass('due--overdue');
  });

  it('refreshes the ticket when the workflow has routed it since the ticket loaded', async () => {
    mockFetch({ 'GET /api/tickets/7/workflow': () => jsonResponse(done()) });
    const ticket = makeTicket({ id: 7 });
    const { queryClient } = renderWithProviders(<RoutingPanel ticket={ticket} />);
    queryClient.setQueryData(['tickets', 'detail', 7], ticket);
    await screen.findByText('Billing team');
    expect(queryClient.getQueryState(['tickets', 'detail', 7])?.isInvalidated).toBe(true);
  });

  it('reads the routing again when it was read halfway through the workflow writing it', async () => {
    // The ticket row already has its team and due time; the routing's first answer does not.
    const halfway = { ...ROUTING, team: null, due_at: null };
    const answers = [{ ...done(), routing: halfway }, done()];
    mockFetch({ 'GET /api/tickets/7/workflow': () => jsonResponse(answers.shift() ?? done()) });
    const ticket = makeTicket({ id: 7, team: ROUTING!.team, due_at: ROUTING!.due_at });
    const { queryClient } = renderWithProviders(<RoutingPanel ticket={ticket} />);
    queryClient.setQueryData(['tickets', 'detail', 7], ticket);

    expect(await screen.findByText('Billing team')).toBeInTheDocument();
    expect(fact('Due')).toHaveTextContent('due in 3 h 12 min');
  });
});
