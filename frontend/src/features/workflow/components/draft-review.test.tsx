import { screen, waitFor, within } from '@testing-library/react';
import { ME_KEY } from '@/lib/current-user';
import userEvent from '@testing-library/user-event';
import { makeMe, makeUser } from '@/testing/factories';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { MAYA, OMAR } from '@/testing/workspace-routes';
import type { StoredDraft } from '../api/get-ticket-workflow';
import { DraftReview, DraftsForReview } from './draft-review';

const DRAFT: StoredDraft = {
  content: 'Hello Ann,',
  tone: 'friendly',
  suggested_actions: [],
  source: 'template',
  edited: false,
  updated_at: '2026-12-04T10:00:00Z',
  review_reason: null,
  review_requested_by: null,
  review_requested_at: null,
};

it('marks the draft ready for a teammate’s review, and withdraws it', async () => {
  const { calls } = mockFetch({
    'GET /api/auth/me': () => jsonResponse(makeMe(MAYA)),
    'GET /api/users': () => jsonResponse([MAYA, OMAR]),
    'PUT /api/tickets/7/draft/review': ({ body }) =>
      jsonResponse({
        ...DRAFT,
        review_requested_by: (body as { ready: boolean }).ready ? MAYA.id : null,
        review_requested_at: (body as { ready: boolean }).ready ? '2026-12-04T10:05:00Z' : null,
      }),
  });
  const user = userEvent.setup();
  const first = renderWithProviders(<DraftReview ticketId={7} draft={DRAFT} />);
  await user.click(await screen.findByRole('button', { name: 'Ready for review' }));
  const puts = calls.filter((call) => call.method === 'PUT');
  expect(puts.map((call) => call.body)).toEqual([{ ready: true }]);
  first.unmount();

  const marked = { ...DRAFT, review_requested_by: OMAR.id, review_requested_at: DRAFT.updated_at };
  renderWithProviders(<DraftReview ticketId={7} draft={marked} />);
  expect(await screen.findByText(/Ready for review — marked by Omar Haddad/)).toHaveRole('note');
  await user.click(screen.getByRole('button', { name: 'Withdraw review request' }));
  expect(calls.filter((call) => call.method === 'PUT').at(-1)?.body).toEqual({ ready: false });
});

it('offers a viewer no switch', async () => {
  mockFetch({
    'GET /api/auth/me': () => jsonResponse(makeMe({ ...MAYA, role: 'viewer' })),
    'GET /api/users': () => jsonResponse([MAYA]),
  });
  const { queryClient } = renderWithProviders(<DraftReview ticketId={7} draft={DRAFT} />);
  // Only once the page knows who asks does it decide what to offer.
  await waitFor(() => expect(queryClient.getQueryData(ME_KEY)).toBeDefined());
  expect(screen.queryByRole('button')).toBeNull();
});

it('lists the drafts for review, each a link to its ticket', async () => {
  const lee = makeUser({ id: 103, name: 'Lee <b>Park</b>' });
  mockFetch({
    'GET /api/users': () => jsonResponse([lee]),
    'GET /api/drafts/review': () =>
      jsonResponse([
        {
          ticket_id: 12,
          title: 'Charged twice',
          status: 'open',
          requested_by: lee.id,
          requested_at: '2026-12-04T10:00:00Z',
        },
      ]),
  });
  renderWithProviders(<DraftsForReview />);
  const list = await screen.findByRole('region', { name: 'Drafts for review (1)' });
  const link = within(list).getByRole('link', { name: '#12 Charged twice' });
  expect(link).toHaveAttribute('href', '/tickets/12');
  expect(list).toHaveTextContent('by Lee <b>Park</b>');
  expect(list.querySelector('b')).toBeNull();
});
