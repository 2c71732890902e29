import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ProblemError } from '@/lib/api-client';
import { ErrorAlert } from './error-alert';

it('shows the title and detail of a problem response', () => {
  render(<ErrorAlert error={new ProblemError(404, 'Not found', 'ticket 7 does not exist')} />);
  const alert = screen.getByRole('alert');
  expect(alert).toHaveTextContent('Not found');
  expect(alert).toHaveTextContent('ticket 7 does not exist');
});

it('lists field errors when the problem has no detail', () => {
  render(
    <ErrorAlert
      error={new ProblemError(422, 'Validation failed', undefined, { status: ['unknown value'] })}
    />,
  );
  expect(screen.getByRole('alert')).toHaveTextContent('status: unknown value');
});

it('explains network failures and offers a retry', async () => {
  const onRetry = vi.fn();
  render(<ErrorAlert error={new TypeError('Failed to fetch')} onRetry={onRetry} />);
  expect(screen.getByRole('alert')).toHaveTextContent('Could not reach the server');
  await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
  expect(onRetry).toHaveBeenCalledOnce();
});
