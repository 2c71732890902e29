import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { workspaceRoutes } from '@/testing/workspace-routes';
import { SlaAttainment } from './sla-attainment';

const ROW = {
  target: 'first_response',
  team: 'billing_team',
  priority: 'high',
  met: 3,
  breached: 1,
  open: 2,
  attainment: 0.75,
};

it('shows attainment per target, team and priority, for the period chosen', async () => {
  const mock = mockFetch({
    ...workspaceRoutes(),
    'GET /api/sla/attainment?days=30': () =>
      jsonResponse({ since: '2026-11-04T00:00:00Z', until: '2026-12-04T00:00:00Z', rows: [ROW] }),
    'GET /api/sla/attainment?days=7': () =>
      jsonResponse({ since: '2026-11-27T00:00:00Z', until: '2026-12-04T00:00:00Z', rows: [] }),
  });
  renderWithProviders(<SlaAttainment />);
  const section = await screen.findByRole('region', { name: 'SLA attainment' });
  const row = await within(section).findByRole('row', { name: /First response/ });
  expect(row).toHaveTextContent('75%');
  expect(row).toHaveTextContent('Billing team');
  await userEvent.selectOptions(within(section).getByLabelText('Period'), '7');
  expect(await within(section).findByText('No tickets arrived in this period.')).toBeInTheDocument();
  expect(mock.calls.map((call) => call.url)).toContain('/api/sla/attainment?days=7');
});
