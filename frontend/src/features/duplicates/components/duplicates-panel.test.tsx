import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { makeTicket } from '@/testing/factories';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import type { Ticket } from '@/types/api';
import { DuplicatesPanel } from './duplicates-panel';

const original = makeTicket({ id: 3, title: 'Charged twice this month', status: 'open' });
const other = makeTicket({ id: 4, title: 'Double payment', status: 'in_progress' });

/** The panel as the ticket page shows it: fed from the ticket's query, which a merge updates. */
function Page() {
  const ticket = useQuery({
    queryKey: ['tickets', 'detail', 12],
    queryFn: () => apiFetch<Ticket>('/api/tickets/12/'),
  });
  return ticket.data ? <DuplicatesPanel ticket={ticket.data} /> : null;
}

/** Ticket 12 and its duplicates; `merge` answers the merge and becomes the stored ticket. */
function serve(merge: () => Response, mergedHere: Ticket[] = []) {
  let ticket = makeTicket({ id: 12 });
  return mockFetch({
    'GET /api/tickets/12/merged': () => jsonResponse({ ticket_id: 12, results: mergedHere }),
    'GET /api/tickets/12/duplicates/': () =>
      jsonResponse({
        ticket_id: 12,
        threshold: 0.8,
        results: [
          { ticket: original, score: 0.934 },
          { ticket: other, score: 0.81 },
        ],
      }),
    'GET /api/tickets/12/': () => jsonResponse(ticket),
    'POST /api/tickets/12/merge': async () => {
      const response = merge();
      if (response.ok) ticket = await response.clone().json();
      return response;
    },
  });
}

const item = (title: RegExp) =>
  screen.getByRole('link', { name: title }).closest('li') as HTMLElement;

it('lists similar tickets with their score, each linking to its page', async () => {
  serve(() => jsonResponse({}));
  renderWithProviders(<Page />);

  const link = await screen.findByRole('link', { name: '#3 Charged twice this month' });
  expect(link).toHaveAttribute('href', '/tickets/3');
  expect(item(/Charged twice/)).toHaveTextContent('93% similar');
  expect(item(/Double payment/)).toHaveTextContent('81% similar');
  expect(item(/Double payment/)).toHaveTextContent('In progress');
});

it('lays out each title by its own direction, apart from its number', async () => {
  serve(() => jsonResponse({}));
  renderWithProviders(<Page />);
  const link = await screen.findByRole('link', { name: '#3 Charged twice this month' });
  expect(within(link).getByText('Charged twice this month')).toHaveAttribute('dir', 'auto');
});

it('merges into a duplicate only after confirmation, then says where it went', async () => {
  const { calls } = serve(() =>
    jsonResponse(makeTicket({ id: 12, status: 'closed', duplicate_of: 3 })),
  );
  const user = userEvent.setup();
  renderWithProviders(<Page />);
  await screen.findByRole('link', { name: /Charged twice/ });

  await user.click(within(item(/Charged twice/)).getByRole('button', { name: 'Merge into this' }));
  const question = screen.getByRole('group', {
    name: 'Close #12 as a duplicate of #3? It will be linked there.',
  });
  await user.click(within(question).getByRole('button', { name: 'Cancel' }));
  expect(calls.some((call) => call.method === 'POST')).toBe(false);

  await user.click(within(item(/Charged twice/)).getByRole('button', { name: 'Merge into this' }));
  await user.click(screen.getByRole('button', { name: 'Merge' }));
  expect(calls.find((call) => call.method === 'POST')).toMatchObject({
    url: '/api/tickets/12/merge',
    body: { into: 3 },
  });

  expect(await screen.findByText(/Merged into/)).toHaveTextContent('Merged into #3');
  expect(screen.getByRole('link', { name: '#3' })).toHaveAttribute('href', '/tickets/3');
  // Merged: no more merging, and the ticket it went to is not offered as a duplicate.
  expect(screen.queryByRole('button', { name: 'Merge into this' })).not.toBeInTheDocument();
  expect(screen.queryByRole('link', { name: /Charged twice/ })).not.toBeInTheDocument();
});

it('puts focus on the panel’s heading when merging takes the merge buttons away', async () => {
  serve(() => jsonResponse(makeTicket({ id: 12, status: 'closed', duplicate_of: 3 })));
  const user = userEvent.setup();
  renderWithProviders(<Page />);
  await screen.findByRole('link', { name: /Charged twice/ });

  await user.click(within(item(/Charged twice/)).getByRole('button', { name: 'Merge into this' }));
  await user.click(screen.getByRole('button', { name: 'Merge' }));
  expect(await screen.findByText(/Merged into/)).toBeInTheDocument();
  expect(screen.queryByRole('button', { name: 'Merge into this' })).not.toBeInTheDocument();
  expect(screen.getByRole('heading', { name: 'Possible duplicates' })).toHaveFocus();
});

it('shows why a merge was refused', async () => {
  serve(() =>
    problemResponse(409, 'Conflict', { detail: 'ticket 3 is itself merged into 1' }),
  );
  const user = userEvent.setup();
  renderWithProviders(<Page />);
  await screen.findByRole('link', { name: /Charged twice/ });
  await user.click(within(item(/Charged twice/)).getByRole('button', { name: 'Merge into this' }));
  await user.click(screen.getByRole('button', { name: 'Merge' }));
  expect(await screen.findByRole('alert')).toHaveTextContent('ticket 3 is itself merged into 1');
});

it('says when there is nothing similar', async () => {
  mockFetch({
    'GET /api/tickets/12/duplicates/': () =>
      jsonResponse({ ticket_id: 12, threshold: 0.8, results: [] }),
    'GET /api/tickets/12/': () => jsonResponse(makeTicket({ id: 12 })),
  });
  renderWithProviders(<Page />);
  expect(await screen.findByText(/No similar open tickets/)).toBeInTheDocument();
});

it('lists the tickets merged into this one, with their priority', async () => {
  const urgent = makeTicket({ id: 30, title: 'Site down for us too', priority: 'critical' });
  serve(() => jsonResponse({}), [urgent]);
  renderWithProviders(<Page />);

  const merged = await screen.findByRole('list', { name: 'Merged into this ticket' });
  const link = within(merged).getByRole('link', { name: '#30 Site down for us too' });
  expect(link).toHaveAttribute('href', '/tickets/30');
  expect(within(merged).getByRole('listitem')).toHaveTextContent('Critical priority');
});
