import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { AuditLog } from './audit-log';

const EVENT = {
  id: 40,
  at: '2026-12-04T10:00:00Z',
  actor_kind: 'user',
  actor_user_id: 1,
  action: 'user.updated',
  ticket_id: null,
  subject_user_id: 2,
  changes: { role: ['agent', 'admin'] },
  detail: '',
};

it('lists who did what, filters by kind, and pages back', async () => {
  const { calls } = mockFetch({
    'GET /api/users': () =>
      jsonResponse([
        {
          id: 1,
          email: 'd@example.com',
          name: 'Dana',
          role: 'admin',
          status: 'active',
          teams: [],
          created_at: EVENT.at,
        },
      ]),
    'GET /api/audit?action=auth.': () => jsonResponse({ items: [], next_before: null }),
    'GET /api/audit': () => jsonResponse({ items: [EVENT], next_before: 40 }),
  });
  const user = userEvent.setup();
  renderWithProviders(<AuditLog />);
  const list = await screen.findByRole('list', { name: 'Audit events' });
  expect(await screen.findByText('role: agent → admin')).toBeInTheDocument();
  expect(list).toHaveTextContent('Dana');
  await user.click(screen.getByRole('button', { name: 'Older events' }));
  await vi.waitFor(() => expect(calls.some((call) => call.url.includes('before=40'))).toBe(true));
  await user.selectOptions(screen.getByLabelText('What'), 'auth.');
  expect(await screen.findByText('Nothing recorded.')).toBeInTheDocument();
});
