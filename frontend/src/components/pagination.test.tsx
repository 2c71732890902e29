import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { Pagination } from './pagination';

function Pager({ start }: { start: number }) {
  const [page, setPage] = useState(start);
  return <Pagination page={page} pageCount={3} onPageChange={setPage} />;
}

it.each([
  ['← Previous', 'Next →'],
  ['Next →', '← Previous'],
])('hands focus to the other button when “%s” reaches the end', async (pressed, other) => {
  const user = userEvent.setup();
  render(<Pager start={2} />);

  await user.click(screen.getByRole('button', { name: pressed }));
  // Disabled now: in a browser, focus left on it would drop to <body>.
  expect(screen.getByRole('button', { name: pressed })).toBeDisabled();
  expect(screen.getByRole('button', { name: other })).toHaveFocus();
});

it('keeps focus on the pressed button while it can go further', async () => {
  const user = userEvent.setup();
  render(<Pager start={1} />);
  const next = screen.getByRole('button', { name: 'Next →' });

  await user.click(next);
  expect(screen.getByText('Page 2 of 3')).toBeInTheDocument();
  expect(next).toHaveFocus();
});
