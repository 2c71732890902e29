import { act, render, screen } from '@testing-library/react';
import { DueCountdown } from './due-countdown';

it('counts down live and turns red once the due time passes', async () => {
  vi.useFakeTimers({ now: new Date('2026-11-21T12:00:00Z') });
  const due = '2026-11-21T12:01:30Z';
  render(<DueCountdown iso={due} />);

  const time = screen.getByText('due in 1 min');
  expect(time.tagName).toBe('TIME');
  expect(time).toHaveAttribute('datetime', due);
  expect(time).not.toHaveClass('due--overdue');

  await act(() => vi.advanceTimersByTimeAsync(60_000));
  expect(screen.getByText('due in less than a minute')).toBeInTheDocument();

  await act(() => vi.advanceTimersByTimeAsync(2 * 60_000));
  expect(screen.getByText('overdue by 1 min')).toHaveClass('due--overdue');
});

it('reads as overdue when the server flagged the SLA breach', () => {
  render(<DueCountdown iso={new Date(Date.now() + 3_600_000).toISOString()} breached />);
  expect(screen.getByText('overdue')).toHaveClass('due--overdue');
});
