import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import type { Stats } from '../api/get-stats';
import type { Workload } from '../api/get-workload';
import { StatsDashboard } from './stats-dashboard';

const none = { suggested: 0, accepted: 0, rate: null };

const STATS: Stats = {
  total_tickets: 200,
  open_tickets: 28,
  avg_tickets_per_day: 6.5,
  priority_breakdown: { low: 50, medium: 80, high: 50, critical: 20 },
  category_breakdown: { billing: 60, technical: 70, account: 40, general: 30 },
  status_breakdown: { open: 28, in_progress: 79, resolved: 60, closed: 33 },
  tickets_per_day: [{ date: '2026-12-01', count: 6 }],
  ai_acceptance: {
    category: { billing: none, technical: none, account: none, general: none },
    priority: none,
  },
};

const WORKLOAD: Workload = {
  backlog: 107,
  unassigned: 40,
  needs_review: 9,
  breached: 12,
  agents: [
    { user_id: 1, name: 'Maya Chen', status: 'active', open: 30, needs_review: 4, breached: 2 },
    { user_id: 2, name: 'عمر حداد', status: 'away', open: 7, needs_review: 0, breached: 0 },
  ],
};

function serve(workload: () => Response = () => jsonResponse(WORKLOAD)) {
  return mockFetch({
    'GET /api/tickets/stats/': () => jsonResponse(STATS),
    'GET /api/tickets/workload': workload,
    'GET /api/triage/status': () => jsonResponse({}),
  });
}

beforeAll(() => {
  // Recharts measures its container; jsdom has no layout to observe.
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
});

const stat = (label: string) =>
  screen.getByText(label, { selector: '.stat__label' }).closest('.stat') as HTMLElement;

it('counts everything not resolved as the backlog, and opens that list', async () => {
  serve();
  renderWithProviders(<StatsDashboard />, { url: '/dashboard' });
  await screen.findByRole('link', { name: 'Backlog: 107' });
  const backlog = stat('Backlog');
  expect(backlog).toHaveTextContent('28 open, 79 in progress');
  expect(within(backlog).getByRole('link')).toHaveAttribute(
    'href',
    '/tickets?status=open,in_progress',
  );
  // Tickets with the status "open" are still told apart, as part of the backlog.
  const open = within(stat('Open tickets')).getByRole('link', { name: 'Open tickets: 28' });
  expect(open).toHaveAttribute('href', '/tickets?status=open');
});

it('links every figure to the tickets it counts', async () => {
  serve();
  renderWithProviders(<StatsDashboard />, { url: '/dashboard' });
  const link = async (name: string) =>
    (await screen.findByRole('link', { name })).getAttribute('href');
  expect(await link('Total tickets: 200')).toBe('/tickets');
  expect(await link('Unassigned: 40')).toBe('/tickets?assignee=none&status=open,in_progress');
  expect(await link('Needs review: 9')).toBe('/tickets?needs_review=true&status=open,in_progress');
  expect(await link('SLA breached: 12')).toBe('/tickets?sla=breached');
});

it('links each chart’s segments to the matching list', async () => {
  serve();
  renderWithProviders(<StatsDashboard />, { url: '/dashboard' });
  const byStatus = await screen.findByRole('list', { name: 'By status counts' });
  expect(within(byStatus).getByRole('link', { name: /In progress/ })).toHaveAttribute(
    'href',
    '/tickets?status=in_progress',
  );
  expect(
    within(screen.getByRole('list', { name: 'By priority counts' })).getByRole('link', {
      name: /Critical/,
    }),
  ).toHaveAttribute('href', '/tickets?priority=critical');
  expect(
    within(screen.getByRole('list', { name: 'By category counts' })).getByRole('link', {
      name: /Billing/,
    }),
  ).toHaveAttribute('href', '/tickets?category=billing');
  // The counts stay where the legend always had them.
  const inProgress = within(byStatus).getByRole('link', { name: /In progress/ });
  expect(inProgress.querySelector('.legend__count')).toHaveTextContent('79');
});

it('shows each person’s workload, each figure a link to their list', async () => {
  serve();
  const user = userEvent.setup();
  renderWithProviders(<StatsDashboard />, { url: '/dashboard' });
  const people = await screen.findByRole('list', { name: 'Workload per person' });
  const maya = within(people).getByRole('listitem', { name: 'Maya Chen' });
  expect(within(maya).getByRole('link', { name: 'Maya Chen: 30 open' })).toHaveAttribute(
    'href',
    '/tickets?assignee=1&status=open,in_progress',
  );
  expect(within(maya).getByRole('link', { name: 'Maya Chen: 4 needs review' })).toHaveAttribute(
    'href',
    '/tickets?assignee=1&needs_review=true&status=open,in_progress',
  );
  expect(within(maya).getByRole('link', { name: 'Maya Chen: 2 breached' })).toHaveAttribute(
    'href',
    '/tickets?assignee=1&sla=breached',
  );
  const omar = within(people).getByRole('listitem', { name: 'عمر حداد' });
  expect(within(omar).getByRole('heading', { name: 'عمر حداد' })).toHaveAttribute('dir', 'auto');
  expect(within(omar).getByText('away')).toBeInTheDocument();

  await user.click(within(maya).getByRole('link', { name: 'Maya Chen: 30 open' }));
  expect(screen.getByTestId('location')).toHaveTextContent(
    '/tickets?assignee=1&status=open,in_progress',
  );
});

it('still shows the backlog when the workload fails, and says the workload did', async () => {
  serve(() => problemResponse(500, 'Internal error'));
  renderWithProviders(<StatsDashboard />, { url: '/dashboard' });
  await screen.findByRole('link', { name: 'Backlog: 107' });
  await waitFor(() =>
    expect(
      within(screen.getByRole('region', { name: 'Workload' })).getByRole('alert'),
    ).toHaveTextContent('Internal error'),
  );
});
