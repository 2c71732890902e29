import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { workspaceRoutes } from '@/testing/workspace-routes';
import { MacroSettings } from './macro-settings';

const REFUND = {
  id: 7,
  name: 'Refund issued',
  body: 'Hello {{ customer.first_name }}, the refund is on its way.',
  team: 'billing_team',
  category: 'billing',
  actions: { status: 'resolved', priority: null, category: null, assign_to_me: true, note: null },
  updated_at: '2026-12-05T08:00:00Z',
};

it('writes a new macro with its actions, naming a template the server refuses', async () => {
  let refused = false;
  const mock = mockFetch({
    ...workspaceRoutes(),
    'GET /api/macros': () => jsonResponse([REFUND]),
    'POST /api/macros': ({ body }) => {
      if (!refused) {
        refused = true;
        return problemResponse(422, 'Invalid request', {
          errors: { body: ['not a usable Liquid template: unexpected end'] },
        });
      }
      return jsonResponse({ id: 8, updated_at: '2026-12-05T08:01:00Z', ...(body as object) }, 201);
    },
  });
  renderWithProviders(<MacroSettings />);
  const list = await screen.findByRole('list', { name: 'Macros' });
  const refund = within(list).getByText('Refund issued').closest('li')!;
  expect(await within(refund).findByText('Billing team')).toBeInTheDocument();

  await userEvent.click(screen.getByRole('button', { name: 'New macro' }));
  const form = screen.getByRole('form', { name: 'New macro' });
  await userEvent.type(within(form).getByLabelText('Name'), 'Ask for the browser');
  await userEvent.type(within(form).getByLabelText('Reply'), 'Which browser? {{{{ customer.name');
  await userEvent.selectOptions(within(form).getByLabelText('For'), 'technical_team');
  await userEvent.selectOptions(within(form).getByLabelText('Sets the status'), 'in_progress');
  await userEvent.click(within(form).getByRole('checkbox', { name: /Assigns it/ }));
  await userEvent.click(within(form).getByRole('button', { name: 'Add macro' }));
  expect(await within(form).findByText(/not a usable Liquid template/)).toBeInTheDocument();

  await userEvent.click(within(form).getByRole('button', { name: 'Add macro' }));
  const posted = mock.calls.filter((call) => call.method === 'POST').at(-1);
  expect(posted?.body).toEqual({
    name: 'Ask for the browser',
    body: 'Which browser? {{ customer.name',
    team: 'technical_team',
    category: null,
    actions: {
      status: 'in_progress',
      priority: null,
      category: null,
      assign_to_me: true,
      note: null,
    },
  });
  expect(await screen.findByRole('button', { name: 'New macro' })).toBeInTheDocument();
});

it('edits a macro as it is and deletes one', async () => {
  const mock = mockFetch({
    ...workspaceRoutes(),
    'GET /api/macros': () => jsonResponse([REFUND]),
    'PUT /api/macros/7': ({ body }) => jsonResponse({ ...REFUND, ...(body as object) }),
    'DELETE /api/macros/7': () => new Response(null, { status: 204 }),
  });
  renderWithProviders(<MacroSettings />);
  const row = (await screen.findByText('Refund issued')).closest('li')!;
  await userEvent.click(within(row).getByRole('button', { name: 'Edit' }));
  const form = within(row).getByRole('form', { name: 'Edit Refund issued' });
  expect(within(form).getByLabelText('Sets the status')).toHaveValue('resolved');
  await userEvent.type(within(form).getByLabelText('Adds an internal note'), 'Refund sent.');
  await userEvent.click(within(form).getByRole('button', { name: 'Save macro' }));
  const put = mock.calls.find((call) => call.method === 'PUT');
  expect(put?.body).toMatchObject({
    name: 'Refund issued',
    team: 'billing_team',
    category: 'billing',
    actions: { status: 'resolved', assign_to_me: true, note: 'Refund sent.' },
  });
  await userEvent.click(within(row).getByRole('button', { name: 'Delete' }));
  expect(mock.calls.some((call) => call.method === 'DELETE')).toBe(true);
});
