import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeMe, makeUser } from '@/testing/factories';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { UserMenu } from './user-menu';

it('lets a person choose the emails they get', async () => {
  const kim = makeUser({ id: 5, name: 'Kim Agent' });
  const mock = mockFetch({
    'GET /api/auth/me': () => jsonResponse(makeMe(kim)),
    'PATCH /api/auth/me': () => jsonResponse(makeMe({ ...kim, notify_assigned: false })),
  });
  renderWithProviders(<UserMenu />);
  await userEvent.click(await screen.findByText('Email me'));
  const given = screen.getByLabelText('when someone gives me a ticket');
  expect(given).toBeChecked();
  await userEvent.click(given);
  expect(mock.calls.filter((call) => call.method === 'PATCH')).toEqual([
    { url: '/api/auth/me', method: 'PATCH', body: { notify_assigned: false } },
  ]);
  expect(await screen.findByLabelText('when someone gives me a ticket')).not.toBeChecked();
});
