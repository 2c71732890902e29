import { act, screen, within } from '@testing-library/react';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import type { Progress, RunStatus } from '../api/types';
import { RunProgress } from './run-progress';

function status(runStatus: RunStatus, progress: Partial<Progress>) {
  const full = { total: 40, pending: 0, processing: 0, analyzed: 0, failed: 0, ...progress };
  return {
    analysis_run_id: 5,
    status: runStatus,
    ticket_ids: [],
    progress: { ...full, done: full.analyzed + full.failed },
  };
}

it('asks for the status every second while the run works, and stops when it is done', async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  const answers = [
    status('pending', { pending: 40 }),
    status('processing', { pending: 20, processing: 10, analyzed: 9, failed: 1 }),
    status('completed', { analyzed: 38, failed: 2 }),
  ];
  const { calls } = mockFetch({
    'GET /api/analyze/5/status': () => jsonResponse(answers.shift() ?? status('completed', {})),
  });
  const { queryClient } = renderWithProviders(<RunProgress runId={5} linkToReport />);
  queryClient.setQueryData(['analysis', 'run', 5], { cached: true });

  const bar = await screen.findByRole('progressbar', { name: 'Run #5 progress' });
  expect(bar).toHaveAttribute('aria-valuenow', '0');
  expect(screen.getByText('Waiting to start')).toBeInTheDocument();

  await act(() => vi.advanceTimersByTimeAsync(1000));
  expect(bar).toHaveAttribute('aria-valuenow', '10');
  expect(screen.getByText('10 of 40 tickets done (25%)')).toBeInTheDocument();
  const counts = screen.getByRole('list', { name: 'Run #5 tickets by status' });
  expect(within(counts).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
    '20 Pending',
    '10 Processing',
    '9 Analysed',
    '1 Failed',
  ]);
  expect(screen.queryByRole('link', { name: /View the report/ })).not.toBeInTheDocument();

  await act(() => vi.advanceTimersByTimeAsync(1000));
  expect(screen.getByText('Completed')).toBeInTheDocument();
  expect(screen.getByText('40 of 40 tickets done (100%)')).toBeInTheDocument();
  expect(screen.getByRole('link', { name: 'View the report of run #5' })).toHaveAttribute(
    'href',
    '/analysis/5',
  );
  // Finishing makes the run's report stale, so it is fetched afresh.
  expect(queryClient.getQueryState(['analysis', 'run', 5])?.isInvalidated).toBe(true);

  expect(calls).toHaveLength(3);
  await act(() => vi.advanceTimersByTimeAsync(5000));
  expect(calls).toHaveLength(3);
});
