import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { makeUser } from '@/testing/factories';
import { renderWithProviders } from '@/testing/render';
import { TeamPage } from './team-page';

const TEAMS = [
  { id: 'billing_team', name: 'Billing team', escalation: false },
  { id: 'technical_support', name: 'Technical support', escalation: false },
];

it('lets an admin change the teams of someone already on the staff', async () => {
  let bill = makeUser({ id: 7, name: 'Bill', teams: ['billing_team'] });
  const { calls } = mockFetch({
    'GET /api/teams': () => jsonResponse(TEAMS),
    'GET /api/users': () => jsonResponse([bill]),
    'PATCH /api/users/7': ({ body }) => {
      bill = { ...bill, ...(body as { teams: string[] }) };
      return jsonResponse(bill);
    },
  });
  const user = userEvent.setup();
  renderWithProviders(<TeamPage />);
  const row = (await screen.findByText('Bill')).closest('li') as HTMLElement;
  await user.click(within(row).getByRole('button', { name: 'Teams of Bill' }));
  const teams = within(row).getByRole('group', { name: 'Teams of Bill' });
  expect(within(teams).getByRole('checkbox', { name: 'Billing team' })).toBeChecked();
  await user.click(within(teams).getByRole('checkbox', { name: 'Technical support' }));
  await user.click(within(row).getByRole('button', { name: 'Save teams' }));
  expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({
    teams: ['billing_team', 'technical_support'],
  });
  expect(await within(row).findByText('Billing team, Technical support')).toBeInTheDocument();
  expect(within(row).queryByRole('group', { name: 'Teams of Bill' })).not.toBeInTheDocument();
});
