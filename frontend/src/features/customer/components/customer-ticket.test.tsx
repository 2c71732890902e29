import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { secretFromHash } from '../api/customer';
import { CustomerTicket } from './customer-ticket';

const SECRET = 'sdc_0123456789abcdefghijABCDEFGHIJ';
const AT = '2026-12-04T10:00:00Z';

it('reads the secret from the fragment only', () => {
  expect(secretFromHash(`#${SECRET}`)).toBe(SECRET);
  expect(secretFromHash('#short')).toBeNull();
});

it('shows the public thread and sends a reply with the link as the credential', async () => {
  const { calls } = mockFetch({
    'GET /api/customer/ticket': () =>
      jsonResponse({
        id: 5,
        title: 'Charged twice',
        status: 'resolved',
        created_at: AT,
        messages: [{ id: 1, kind: 'reply', body: 'Refunded.', created_at: AT, author_name: 'Maya' }],
      }),
    'POST /api/customer/messages': () =>
      jsonResponse({ outcome: 'reopened', ticket_id: 5, message: {}, follow_up_link: null }),
  });
  const user = userEvent.setup();
  renderWithProviders(<CustomerTicket secret={SECRET} />);
  expect(await screen.findByText('Refunded.')).toBeInTheDocument();
  expect(screen.getByText(/Ticket #5 · Resolved/)).toBeInTheDocument();
  await user.type(screen.getByLabelText('Your reply'), 'Not yet on my card');
  await user.click(screen.getByRole('button', { name: 'Send reply' }));
  expect(await screen.findByText('Thank you: your ticket is open again.')).toBeInTheDocument();
  expect(calls.every((call) => call.headers['X-Customer-Token'] === SECRET)).toBe(true);
});

it('says plainly when the link no longer works', async () => {
  mockFetch({ 'GET /api/customer/ticket': () => problemResponse(404, 'Not found') });
  renderWithProviders(<CustomerTicket secret={SECRET} />);
  expect(await screen.findByRole('alert')).toHaveTextContent('This link does not work any more');
});
