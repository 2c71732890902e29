import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { makeHistoryEntry, makeTicket } from '@/testing/factories';
import { createQueryClient } from '@/lib/query-client';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { workspaceRoutes } from '@/testing/workspace-routes';
import { Component as TicketRoute } from './ticket';

const TICKET = makeTicket({ id: 12, title: 'Charged twice', team: 'billing_team' });
const PAGE = {
  ticket: TICKET,
  thread: {
    ticket_id: 12,
    contact: null,
    waiting_since: null,
    messages: [
      {
        id: 0,
        kind: 'customer',
        body: 'I was charged twice.',
        created_at: TICKET.created_at,
        author_name: 'Ann Lee',
        author_user_id: null,
        author_contact_id: null,
        ticket_id: 12,
      },
      {
        id: 5,
        kind: 'reply',
        body: 'Which card was it?',
        created_at: TICKET.created_at,
        author_name: 'Maya Chen',
        author_user_id: 101,
        author_contact_id: null,
        ticket_id: 12,
      },
    ],
    summary: null,
  },
  history: [makeHistoryEntry({ action: 'ticket.created', changes: { status: [null, 'open'] } })],
  workflow: {
    ticket_id: 12,
    facts: { fields: [], extracted_at: TICKET.created_at },
    routing: {
      team: 'billing_team',
      due_at: TICKET.due_at,
      sla_breached: TICKET.sla_breached,
      alternatives: [],
      reasoning: 'billing',
      decided_at: TICKET.created_at,
    },
    draft: {
      content: 'Hello Ann,',
      tone: 'friendly',
      suggested_actions: [],
      source: 'template',
      edited: false,
      updated_at: TICKET.created_at,
      review_reason: null,
    },
  },
};

function open(url: string) {
  const queryClient = createQueryClient(); // the app's: parts fresh for a while
  const router = createMemoryRouter([{ path: '/tickets/:id', element: <TicketRoute /> }], {
    initialEntries: [url],
  });
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

const partsAsked = (urls: string[]) =>
  urls.filter((url) =>
    ['/api/tickets/12/', '/api/tickets/12/messages', '/api/tickets/12/history'].includes(url) ||
    url === '/api/tickets/12/workflow',
  );

test('the ticket page opens with one request for the ticket, its thread, timeline and workflow', async () => {
  const mock = mockFetch({
    ...workspaceRoutes(),
    'GET /api/tickets/12/page': () => jsonResponse(PAGE),
    'GET /api/tickets/12/duplicates': () =>
      jsonResponse({ ticket_id: 12, threshold: 0.57, results: [] }),
    'GET /api/tickets/12/merged': () => jsonResponse({ ticket_id: 12, results: [] }),
  });
  open('/tickets/12');

  expect(await screen.findByRole('heading', { name: 'Charged twice' })).toBeInTheDocument();
  expect(await screen.findByText('Which card was it?')).toBeInTheDocument();
  const urls = mock.calls.map((call) => call.url);
  expect(urls.filter((url) => url === '/api/tickets/12/page')).toHaveLength(1);
  expect(partsAsked(urls)).toEqual([]);
});

test('a page that fails lets the ticket ask on its own and say why', async () => {
  mockFetch({
    ...workspaceRoutes(),
    'GET /api/tickets/12/page': () => problemResponse(404, 'Not Found'),
    'GET /api/tickets/12/': () => problemResponse(404, 'Not Found'),
  });
  open('/tickets/12');

  expect(await screen.findByText('There is no ticket #12 you can see.')).toBeInTheDocument();
});
