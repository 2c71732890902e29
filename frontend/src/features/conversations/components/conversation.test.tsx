import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { Conversation } from './conversation';

const AT = '2026-12-04T10:00:00Z';
function message(id: number, kind: string, body: string, author: string, user: number | null) {
  return {
    id,
    kind,
    body,
    created_at: AT,
    author_name: author,
    author_user_id: user,
    author_contact_id: user === null ? 1 : null,
  };
}
const THREAD = {
  ticket_id: 7,
  contact: { id: 1, email: 'ann@example.com', name: 'Ann', organisation: null },
  waiting_since: AT,
  messages: [
    message(0, 'customer', 'My card was charged twice.', 'Ann', null),
    message(1, 'reply', 'We are on it.', 'Maya', 2),
    message(2, 'note', '<b>check the ledger</b>', 'Maya', 2),
  ],
};

it('shows the thread, marks notes internal and keeps markup as text', async () => {
  mockFetch({ 'GET /api/tickets/7/messages': () => jsonResponse(THREAD) });
  renderWithProviders(<Conversation ticketId={7} />);
  const messages = await screen.findByRole('list', { name: 'Messages' });
  const items = within(messages).getAllByRole('listitem');
  expect(items).toHaveLength(3);
  expect(items[2]).toHaveTextContent('Internal note — not shown to the customer');
  expect(items[2]).toHaveTextContent('<b>check the ledger</b>');
  expect(items[2]!.querySelector('b')).toBeNull();
  expect(screen.getByText('Waiting on customer')).toBeInTheDocument();
});

it('starts from the AI draft and sends a reply, or a note', async () => {
  const { calls } = mockFetch({
    'GET /api/tickets/7/messages': () => jsonResponse({ ...THREAD, messages: [] }),
    'POST /api/tickets/7/messages': ({ body }) =>
      jsonResponse({ ...message(3, 'reply', '', 'Maya', 2), ...(body as object) }, 201),
  });
  const user = userEvent.setup();
  renderWithProviders(<Conversation ticketId={7} draft="Hello Ann, we refunded you." />);
  await user.click(await screen.findByRole('button', { name: 'Use AI draft' }));
  const box = screen.getByLabelText('Write to the customer, or a note for the team');
  expect(box).toHaveValue('Hello Ann, we refunded you.');
  await user.click(screen.getByRole('button', { name: 'Send reply' }));
  await vi.waitFor(() => expect(box).toHaveValue(''));
  await user.type(box, 'Refund done in the ledger');
  await user.click(screen.getByRole('button', { name: 'Add internal note' }));
  const posts = calls.filter((call) => call.method === 'POST').map((call) => call.body);
  await vi.waitFor(() => expect(posts).toHaveLength(2));
  expect(posts).toEqual([
    { kind: 'reply', resolve: false, body: 'Hello Ann, we refunded you.' },
    { kind: 'note', resolve: false, body: 'Refund done in the ledger' },
  ]);
});

it('sends a merged ticket’s writer to the ticket it went into', async () => {
  mockFetch({
    'GET /api/tickets/7/messages': () => jsonResponse({ ...THREAD, messages: [] }),
    'POST /api/tickets/7/messages': () =>
      problemResponse(409, 'Conflict', {
        detail: 'ticket 7 was merged into ticket 3: write on ticket 3',
      }),
  });
  const user = userEvent.setup();
  renderWithProviders(<Conversation ticketId={7} />);
  await user.type(await screen.findByLabelText(/Write to the customer/), 'Hi');
  await user.click(screen.getByRole('button', { name: 'Send reply' }));
  expect(await screen.findByRole('link', { name: '#3' })).toHaveAttribute('href', '/tickets/3');
});
