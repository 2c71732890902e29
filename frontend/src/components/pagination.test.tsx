import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { Pagination } from './pagination';

function Pager({ start, pageCount }: { start: number; pageCount: number }) {
  const [page, setPage] = useState(start);
  return <Pagination page={page} pageCount={pageCount} onPageChange={setPage} />;
}

it.each([
  ['Next →', 1, 2, 'Page 2 of 2'],
  ['← Previous', 2, 2, 'Page 1 of 2'],
  ['Next →', 2, 3, 'Page 3 of 3'],
])(
  'keeps focus on “%s” when it reaches the end (from page %i of %i)',
  async (pressed, start, pageCount, reached) => {
    const user = userEvent.setup();
    render(<Pager start={start} pageCount={pageCount} />);
    const button = screen.getByRole('button', { name: pressed });

    await user.click(button);
    expect(screen.getByText(reached)).toBeInTheDocument();
    expect(button).toHaveFocus();
    expect(button).toHaveAttribute('aria-disabled', 'true');
    await user.click(button); // refused at the end
    expect(screen.getByText(reached)).toBeInTheDocument();
  },
);

it('keeps focus on the pressed button while it can go further', async () => {
  const user = userEvent.setup();
  render(<Pager start={1} pageCount={3} />);
  const next = screen.getByRole('button', { name: 'Next →' });

  await user.click(next);
  expect(screen.getByText('Page 2 of 3')).toBeInTheDocument();
  expect(next).toHaveFocus();
  expect(next).not.toHaveAttribute('aria-disabled');
});
