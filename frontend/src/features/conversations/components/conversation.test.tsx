import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { act } from '@testing-library/react';
import { useLiveUpdates } from '@/lib/live-updates';
import { FakeEventSource } from '@/testing/fake-event-source';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { makeMe } from '@/testing/factories';
import { MAYA } from '@/testing/workspace-routes';
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
    ticket_id: 7,
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
  summary: null,
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

it('shows a long thread’s summary with who wrote it, as text', async () => {
  const summary = {
    text: 'Ann: “<i>charged twice</i>” Maya (reply): “We are on it.”',
    source: 'extractive',
    through_message_id: 2,
  };
  mockFetch({ 'GET /api/tickets/7/messages': () => jsonResponse({ ...THREAD, summary }) });
  renderWithProviders(<Conversation ticketId={7} />);
  const aside = await screen.findByRole('complementary', { name: 'Summary of the conversation' });
  expect(aside).toHaveTextContent('<i>charged twice</i>');
  expect(aside.querySelector('i')).toBeNull();
  expect(aside).toHaveTextContent('Summary · the thread’s own sentences');
});

it('says what became of a reply’s email', async () => {
  const emailed = { ...message(1, 'reply', 'We are on it.', 'Maya', 2), email: 'sent' };
  const refused = { ...message(3, 'reply', 'Hello?', 'Maya', 2), email: 'failed' };
  const thread = { ...THREAD, messages: [THREAD.messages[0], emailed, refused] };
  mockFetch({ 'GET /api/tickets/7/messages': () => jsonResponse(thread) });
  renderWithProviders(<Conversation ticketId={7} />);
  const items = within(await screen.findByRole('list', { name: 'Messages' })).getAllByRole(
    'listitem',
  );
  expect(items[1]).toHaveTextContent('emailed');
  expect(items[2]).toHaveTextContent('email refused by the mail server');
});

it('names the merged ticket a message was written on', async () => {
  const merged = { ...message(0, 'customer', 'Charged again.', 'Ann', null), ticket_id: 9 };
  const thread = { ...THREAD, messages: [...THREAD.messages, merged] };
  mockFetch({ 'GET /api/tickets/7/messages': () => jsonResponse(thread) });
  renderWithProviders(<Conversation ticketId={7} />);
  const link = await screen.findByRole('link', { name: 'ticket #9' });
  expect(link).toHaveAttribute('href', '/tickets/9');
  expect(screen.getAllByRole('link', { name: /ticket #/ })).toHaveLength(1);
});

it('names the model that wrote a summary', async () => {
  const summary = { text: 'Ann was charged twice.', source: 'openai:gpt-5', through_message_id: 2 };
  mockFetch({ 'GET /api/tickets/7/messages': () => jsonResponse({ ...THREAD, summary }) });
  renderWithProviders(<Conversation ticketId={7} />);
  expect(await screen.findByText('Summary · openai:gpt-5')).toBeInTheDocument();
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
  const posts = calls
    .filter((call) => call.method === 'POST' && call.url === '/api/tickets/7/messages')
    .map((call) => call.body);
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


function LiveConversation() {
  useLiveUpdates();
  return <Conversation ticketId={7} />;
}

it('says who else is writing to the ticket, and tells the server when I write', async () => {
  const EventSource = FakeEventSource.install();
  const mock = mockFetch({
    'GET /api/auth/me': () => jsonResponse(makeMe(MAYA)),
    'GET /api/tickets/7/messages': () => jsonResponse(THREAD),
    'POST /api/tickets/7/typing': () => new Response(null, { status: 204 }),
  });
  const user = userEvent.setup();
  renderWithProviders(<LiveConversation />);
  await screen.findByRole('list', { name: 'Messages' });

  act(() => EventSource.latest.emit({ type: 'typing', id: 7, user_id: 102, name: 'Omar Haddad' }));
  expect(await screen.findByText('Omar Haddad is writing to this ticket…')).toBeInTheDocument();
  // My own typing, or another ticket's, says nothing.
  act(() => EventSource.latest.emit({ type: 'typing', id: 7, user_id: MAYA.id, name: 'Maya' }));
  act(() => EventSource.latest.emit({ type: 'typing', id: 8, user_id: 103, name: 'Lee Park' }));
  expect(screen.getAllByText(/writing to this ticket/)).toHaveLength(1);
  expect(screen.queryByText(/Lee Park|Maya is/)).toBeNull();

  await user.type(screen.getByRole('textbox'), 'Hello');
  const typed = mock.calls.filter((call) => call.url === '/api/tickets/7/typing');
  expect(typed).toHaveLength(1); // at most one every few seconds
});

it('warns when a teammate replied while I was writing', async () => {
  let thread = THREAD;
  mockFetch({
    'GET /api/auth/me': () => jsonResponse(makeMe(MAYA)),
    'GET /api/tickets/7/messages': () => jsonResponse(thread),
    'POST /api/tickets/7/typing': () => new Response(null, { status: 204 }),
  });
  const user = userEvent.setup();
  const { queryClient } = renderWithProviders(<Conversation ticketId={7} />);
  await screen.findByRole('list', { name: 'Messages' });
  await user.type(screen.getByRole('textbox'), 'We refunded');

  const omar = { ...message(3, 'reply', 'Refund done.', 'Omar Haddad', 102), ticket_id: 7 };
  thread = { ...THREAD, messages: [...THREAD.messages, omar] };
  await act(() => queryClient.invalidateQueries());
  expect(await screen.findByRole('alert')).toHaveTextContent(
    'Omar Haddad replied while you were writing: read it above before you send.',
  );
});

it('marks a message that came by email and offers its files as downloads', async () => {
  const emailed = {
    ...message(0, 'customer', 'Invoice attached.', 'Ann', null),
    by_email: true,
    attachments: [
      { id: 5, filename: '<script>x</script>.pdf', content_type: 'text/html', size: 2048, inline: false },
      { id: 6, filename: 'shot.png', content_type: 'image/png', size: 70, inline: true },
    ],
  };
  mockFetch({
    'GET /api/tickets/7/messages': () => jsonResponse({ ...THREAD, messages: [emailed] }),
  });
  renderWithProviders(<Conversation ticketId={7} />);
  const files = await screen.findByRole('list', { name: 'Attachments' });
  expect(screen.getByText(/by email/)).toBeInTheDocument();
  const links = within(files).getAllByRole('link');
  expect(links.map((link) => link.getAttribute('href'))).toEqual([
    '/api/tickets/7/attachments/5',
    '/api/tickets/7/attachments/6',
  ]);
  expect(links[0]).toHaveTextContent('<script>x</script>.pdf');
  expect(links[0]).toHaveAttribute('download');
  expect(files).toHaveTextContent('(2 KB)');
  expect(files).toHaveTextContent('(70 B, in the email’s text)');
});

it('looks again while a reply’s email is on its way, until it is sent', async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  try {
    const queued = { ...message(1, 'reply', 'We are on it.', 'Maya', 2), email: 'queued' };
    let answers = 0;
    mockFetch({
      'GET /api/tickets/7/messages': () => {
        answers += 1;
        const sent = answers > 1 ? { ...queued, email: 'sent' } : queued;
        return jsonResponse({ ...THREAD, messages: [THREAD.messages[0], sent] });
      },
    });
    renderWithProviders(<Conversation ticketId={7} />);
    expect(await screen.findByText(/email queued/)).toBeInTheDocument();
    await act(() => vi.advanceTimersByTimeAsync(3_500));
    expect(await screen.findByText(/emailed/)).toBeInTheDocument();
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(answers).toBe(2); // sent: no more looking
  } finally {
    vi.useRealTimers();
  }
});
