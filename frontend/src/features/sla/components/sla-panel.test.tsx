import { screen, within } from '@testing-library/react';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { SlaPanel } from './sla-panel';

const AT = '2026-12-04T10:00:00Z';

it('shows each target: met, running with its countdown, paused', async () => {
  const soon = new Date(Date.now() + 2 * 3600_000).toISOString();
  mockFetch({
    'GET /api/tickets/7/sla': () =>
      jsonResponse({
        ticket_id: 7,
        calendar: 'billing_team (Europe/Berlin)',
        next: null,
        targets: [
          { target: 'first_response', started_at: AT, due_at: AT, met_at: AT, breached: false, paused: false },
          { target: 'next_response', started_at: AT, due_at: AT, met_at: AT, breached: true, paused: false },
          { target: 'next_response', started_at: AT, due_at: soon, met_at: null, breached: false, paused: false },
          { target: 'resolution', started_at: AT, due_at: null, met_at: null, breached: false, paused: true },
        ],
      }),
  });
  renderWithProviders(<SlaPanel ticketId={7} />);
  const panel = await screen.findByRole('region', { name: 'SLA' });
  await within(panel).findByText('Met in time');
  expect(within(panel).getByText(/due in 1 h|due in 2 h/)).toBeInTheDocument();
  expect(within(panel).getByText('Paused: waiting on the customer')).toBeInTheDocument();
  expect(within(panel).queryByText('Met late')).toBeNull(); // the latest next response counts
  expect(panel).toHaveTextContent('billing_team (Europe/Berlin)');
});
