import { render, screen, within } from '@testing-library/react';
import type { AiAcceptance } from '../api/get-stats';
import { AcceptanceCard } from './acceptance-card';

const none = { suggested: 0, accepted: 0, rate: null };

const acceptance: AiAcceptance = {
  category: {
    billing: { suggested: 4, accepted: 3, rate: 0.75 },
    technical: { suggested: 2, accepted: 2, rate: 1 },
    account: none,
    general: { suggested: 1, accepted: 0, rate: 0 },
  },
  priority: { suggested: 7, accepted: 5, rate: 0.714 },
};

const rowText = (list: HTMLElement) =>
  within(list)
    .getAllByRole('listitem')
    .map((item) => item.textContent);

it('shows the acceptance rate of each category, with counts', () => {
  render(<AcceptanceCard acceptance={acceptance} />);
  expect(screen.getByRole('figure', { name: /AI suggestions accepted/ })).toBeInTheDocument();
  expect(rowText(screen.getByRole('list', { name: 'Category suggestions accepted' }))).toEqual([
    'Billing75% 3 of 4',
    'Technical100% 2 of 2',
    'Accountno suggestions yet',
    'General0% 0 of 1',
  ]);
});

it('shows priority acceptance overall', () => {
  render(<AcceptanceCard acceptance={acceptance} />);
  expect(rowText(screen.getByRole('list', { name: 'Priority suggestions accepted' }))).toEqual([
    'Priority71% 5 of 7',
  ]);
});
