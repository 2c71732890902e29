import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { Organisations } from './organisations';

it('lets an admin share an organisation’s tickets among its customers', async () => {
  let shared = false;
  const { calls } = mockFetch({
    'GET /api/organisations': () =>
      jsonResponse([{ name: 'Acme / Co', contacts: 2, share_tickets: shared }]),
    'PUT /api/organisations/Acme%20%2F%20Co': ({ body }) => {
      shared = (body as { share_tickets: boolean }).share_tickets;
      return jsonResponse({ name: 'Acme / Co', contacts: 2, share_tickets: shared });
    },
  });
  const user = userEvent.setup();
  renderWithProviders(<Organisations />);
  const box = await screen.findByRole('checkbox', { name: /Acme \/ Co \(2 customers\)/ });
  expect(box).not.toBeChecked();
  await user.click(box);
  expect(calls.find((call) => call.method === 'PUT')?.body).toEqual({ share_tickets: true });
  expect(await screen.findByRole('checkbox', { checked: true })).toBeInTheDocument();
});
