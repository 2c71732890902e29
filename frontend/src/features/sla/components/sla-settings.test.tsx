import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { workspaceRoutes } from '@/testing/workspace-routes';
import { hoursOf, minutesOf, SlaSettings } from './sla-settings';

const TARGETS = [
  {
    priority: 'critical',
    first_response_minutes: 60,
    next_response_minutes: 60,
    resolution_minutes: 480,
  },
  {
    priority: 'low',
    first_response_minutes: 4320,
    next_response_minutes: null,
    resolution_minutes: 14400,
  },
];
const BILLING = {
  team: 'billing_team',
  timezone: 'Europe/Berlin',
  hours: { mon: { start: '09:00', end: '17:00' }, tue: { start: '09:00', end: '17:00' } },
  country: 'DE',
  holidays: ['2026-12-24'],
};

it('reads hours as people type them and minutes as the API keeps them', () => {
  expect(hoursOf(90)).toBe('1.5');
  expect(hoursOf(null)).toBe('');
  expect(minutesOf('1.5')).toBe(90);
  expect(minutesOf(' ')).toBeNull();
});

it('shows each priority in hours and saves a change in minutes, naming a refused field', async () => {
  const mock = mockFetch({
    ...workspaceRoutes(),
    'GET /api/sla/targets': () => jsonResponse(TARGETS),
    'GET /api/sla/calendars': () => jsonResponse([]),
    'PUT /api/sla/targets/critical': ({ body }) =>
      (body as { first_response_minutes: number }).first_response_minutes < 1
        ? problemResponse(422, 'Invalid request', {
            errors: { first_response_minutes: ['Input should be greater than or equal to 1'] },
          })
        : jsonResponse({ priority: 'critical', ...(body as object) }),
  });
  renderWithProviders(<SlaSettings />);
  const critical = await screen.findByRole('form', { name: 'Critical targets' });
  expect(within(critical).getByLabelText('Resolution (h)')).toHaveValue(8);
  const low = screen.getByRole('form', { name: 'Low targets' });
  expect(within(low).getByLabelText('Next response (h)')).toHaveValue(null);

  const first = within(critical).getByLabelText('First response (h)');
  await userEvent.clear(first);
  await userEvent.type(first, '0');
  await userEvent.click(within(critical).getByRole('button', { name: 'Save' }));
  expect(await within(critical).findByText(/greater than or equal to 1/)).toBeInTheDocument();

  await userEvent.clear(first);
  await userEvent.type(first, '0.5');
  await userEvent.click(within(critical).getByRole('button', { name: 'Save' }));
  expect(await within(critical).findByRole('status')).toHaveTextContent('Saved');
  const saved = mock.calls.filter((call) => call.method === 'PUT').at(-1);
  expect(saved?.body).toEqual({
    first_response_minutes: 30,
    next_response_minutes: 60,
    resolution_minutes: 480,
  });
});

it("sets a team's working hours and holidays, and goes back to 24/7", async () => {
  const mock = mockFetch({
    ...workspaceRoutes(),
    'GET /api/sla/targets': () => jsonResponse(TARGETS),
    'GET /api/sla/calendars': () => jsonResponse([BILLING]),
    'PUT /api/sla/calendars/technical_team': ({ body }) =>
      jsonResponse({ team: 'technical_team', ...(body as object) }),
    'DELETE /api/sla/calendars/billing_team': () => new Response(null, { status: 204 }),
  });
  renderWithProviders(<SlaSettings />);
  const calendars = await screen.findByRole('list', { name: 'Team calendars' });
  const billing = within(calendars).getByText('Billing team').closest('li');
  expect(billing).toHaveTextContent('Mon Tue 09:00–17:00, Europe/Berlin, DE holidays');
  const technical = within(calendars).getByText('Technical team').closest('li');
  expect(technical).toHaveTextContent('Every hour counts (24/7)');

  await userEvent.click(within(technical!).getByRole('button', { name: 'Working hours' }));
  const form = within(technical!).getByRole('form', { name: 'Technical team working hours' });
  const zone = within(form).getByLabelText('Time zone');
  await userEvent.clear(zone);
  await userEvent.type(zone, 'America/New_York');
  await userEvent.type(within(form).getByLabelText('Public holidays of (country code)'), 'us');
  await userEvent.click(within(form).getByRole('checkbox', { name: 'Fri' }));
  await userEvent.type(within(form).getByLabelText(/Other days off/), '2026-12-31');
  await userEvent.click(within(form).getByRole('button', { name: 'Save working hours' }));
  const put = mock.calls.find((call) => call.method === 'PUT');
  expect(put?.body).toEqual({
    timezone: 'America/New_York',
    country: 'US',
    hours: Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu'].map((day) => [day, { start: '09:00', end: '17:00' }]),
    ),
    holidays: ['2026-12-31'],
  });

  await userEvent.click(within(billing!).getByRole('button', { name: 'Count every hour' }));
  expect(mock.calls.some((call) => call.method === 'DELETE')).toBe(true);
});
