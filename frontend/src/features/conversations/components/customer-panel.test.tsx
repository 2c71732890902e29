import { screen, waitFor } from '@testing-library/react';
import { ME_KEY } from '@/lib/current-user';
import userEvent from '@testing-library/user-event';
import { makeMe } from '@/testing/factories';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { MAYA } from '@/testing/workspace-routes';
import { CustomerPanel } from './customer-panel';

const THREAD = {
  ticket_id: 7,
  contact: { id: 3, email: 'ann@example.com', name: 'Ann <i>Lee</i>', organisation: null },
  waiting_since: null,
  messages: [],
  summary: null,
};

it('shows the customer, puts them in an organisation and emails them a sign-in link', async () => {
  const { calls } = mockFetch({
    'GET /api/auth/me': () => jsonResponse(makeMe(MAYA)),
    'GET /api/tickets/7/messages': () => jsonResponse(THREAD),
    'PATCH /api/contacts/3': ({ body }) => jsonResponse({ ...THREAD.contact, ...(body as object) }),
    'POST /api/tickets/7/customer-sign-in-link': () =>
      jsonResponse(
        { ticket_id: 7, sent_to: 'a***@example.com', expires_at: '2026-12-05T10:00:00Z' },
        201,
      ),
  });
  const user = userEvent.setup();
  renderWithProviders(<CustomerPanel ticketId={7} />);
  expect(await screen.findByText('Ann <i>Lee</i>')).toBeInTheDocument();

  await user.type(screen.getByLabelText('Organisation'), 'Acme');
  await user.click(screen.getByRole('button', { name: 'Save' }));
  expect(await screen.findByText('Saved.')).toBeInTheDocument();
  expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({ organisation: 'Acme' });

  await user.click(screen.getByRole('button', { name: 'Email a sign-in link' }));
  expect(await screen.findByText(/Sent to a\*\*\*@example\.com/)).toBeInTheDocument();
  expect(screen.queryByDisplayValue(/signin=/)).toBeNull(); // never on the agent's screen
});

it('shows viewers the customer without anything to change', async () => {
  mockFetch({
    'GET /api/auth/me': () => jsonResponse(makeMe({ ...MAYA, role: 'viewer' })),
    'GET /api/tickets/7/messages': () => jsonResponse(THREAD),
  });
  const { queryClient } = renderWithProviders(<CustomerPanel ticketId={7} />);
  expect(await screen.findByText('Ann <i>Lee</i>')).toBeInTheDocument();
  // Only once the page knows who asks does it decide what to offer.
  await waitFor(() => expect(queryClient.getQueryData(ME_KEY)).toBeDefined());
  expect(screen.queryByRole('button')).toBeNull();
  expect(screen.queryByLabelText('Organisation')).toBeNull();
});
