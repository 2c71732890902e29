import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeUser } from '@/testing/factories';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import type { AnalysisRun } from '../api/types';
import { AnalysisOverview } from './analysis-overview';

const PROGRESS = { total: 3, pending: 3, processing: 0, analyzed: 0, failed: 0, done: 0 };

function run(overrides: Partial<AnalysisRun> = {}): AnalysisRun {
  return {
    id: 4,
    created_at: new Date().toISOString(),
    summary: 'Run #4: 3 of 3 tickets analysed.',
    ticket_count: 3,
    status: 'completed',
    started_at: null,
    finished_at: null,
    selection: { mode: 'pending' },
    ...overrides,
  };
}

function serve(start: () => Response | Promise<Response>) {
  return mockFetch({
    // Open access: nobody signed in, acting as an admin.
    'GET /api/auth/me': () => jsonResponse({ user: null, role: 'admin', open_access: true }),
    'GET /api/analyze/active': () => jsonResponse([]),
    'GET /api/analyze/runs': () =>
      jsonResponse({ items: [run()], page: 1, page_size: 10, total: 1 }),
    'GET /api/analyze/7/status': () =>
      jsonResponse({ analysis_run_id: 7, status: 'processing', ticket_ids: [], progress: PROGRESS }),
    'POST /api/analyze': start,
    'GET /api/teams': () =>
      jsonResponse([{ id: 'billing_team', name: 'Billing and payments', escalation: false }]),
  });
}

const started = () =>
  jsonResponse({ ...run({ id: 7, status: 'pending' }), ticket_analyses: [], progress: PROGRESS }, 201);

it('starts a run over the tickets not analysed yet and follows its progress', async () => {
  const { calls } = serve(started);
  const user = userEvent.setup();
  renderWithProviders(<AnalysisOverview />, { url: '/analysis' });

  expect(await screen.findByRole('radio', { name: /Every ticket not analysed yet/ })).toBeChecked();
  await user.click(await screen.findByRole('button', { name: 'Start analysis' }));
  expect(calls.find((call) => call.method === 'POST')?.body).toEqual({ ticketIds: null });
  expect(await screen.findByRole('progressbar', { name: 'Run #7 progress' })).toBeInTheDocument();
});

it('lists earlier runs with links to their reports', async () => {
  serve(started);
  renderWithProviders(<AnalysisOverview />, { url: '/analysis' });
  const runs = await screen.findByRole('table', { name: 'Analysis runs, newest first' });
  const row = within(runs).getByRole('row', { name: /Run #4/ });
  expect(within(row).getByRole('link', { name: 'Run #4' })).toHaveAttribute('href', '/analysis/4');
  expect(row).toHaveTextContent('Tickets not analysed before');
  expect(row).toHaveTextContent('Completed');
});

it('offers the tickets list’s filters and sends them', async () => {
  const { calls } = serve(started);
  const user = userEvent.setup();
  renderWithProviders(<AnalysisOverview />, {
    url: '/analysis?status=open,in_progress&priority=critical&team=billing_team,Bad%20team&search=vpn',
  });

  const byFilter = await screen.findByRole('radio', { name: /matching the list’s filters/ });
  expect(byFilter).toBeChecked();
  expect(await screen.findByText(/Team: Billing and payments/)).toHaveTextContent(
    'Status: Open, In progress · Priority: Critical · Team: Billing and payments · Search: “vpn”',
  );
  await user.click(await screen.findByRole('button', { name: 'Start analysis' }));
  expect(calls.find((call) => call.method === 'POST')?.body).toEqual({
    filter: {
      status: ['open', 'in_progress'],
      priority: ['critical'],
      team: ['billing_team'],
      search: 'vpn',
    },
  });
});

it('explains a 409: tickets held by a running run, with a link to it', async () => {
  serve(() =>
    problemResponse(409, 'Conflict', {
      detail: 'run 3 is analysing tickets 1, 2',
      errors: { ticketIds: ['run 3 is analysing tickets 1, 2'] },
    }),
  );
  const user = userEvent.setup();
  renderWithProviders(<AnalysisOverview />, { url: '/analysis' });
  await user.click(await screen.findByRole('button', { name: 'Start analysis' }));

  expect(await screen.findByRole('alert')).toHaveTextContent(
    'Conflictrun 3 is analysing tickets 1, 2',
  );
  expect(screen.getByRole('link', { name: 'run #3' })).toHaveAttribute('href', '/analysis/3');
});

it('explains a 422 in the words of the server', async () => {
  const message = 'type a word, a phrase or a ticket number: symbols alone match nothing';
  serve(() =>
    problemResponse(422, 'Validation failed', { errors: { 'filter.search': [message] } }),
  );
  const user = userEvent.setup();
  renderWithProviders(<AnalysisOverview />, { url: '/analysis?search=%3F!' });
  await user.click(await screen.findByRole('button', { name: 'Start analysis' }));
  expect(await screen.findByRole('alert')).toHaveTextContent(
    `Validation failedfilter.search: ${message}`,
  );
});

it('says when a filter leaves nothing to analyse (409)', async () => {
  serve(() =>
    problemResponse(409, 'Nothing to analyse', {
      errors: { filter: ['no ticket matches this filter'] },
    }),
  );
  const user = userEvent.setup();
  renderWithProviders(<AnalysisOverview />, { url: '/analysis?search=nothing' });
  await user.click(await screen.findByRole('button', { name: 'Start analysis' }));
  expect(await screen.findByRole('alert')).toHaveTextContent(
    'Nothing to analysefilter: no ticket matches this filter',
  );
  expect(screen.queryByRole('link', { name: /run #/ })).toBeNull();
});

it('follows the URL’s filter: the default when it goes, the filter when one comes', async () => {
  const { calls } = serve(started);
  const user = userEvent.setup();
  const { router } = renderWithProviders(<AnalysisOverview />, { url: '/analysis?status=open' });
  expect(await screen.findByRole('radio', { name: /matching the list’s filters/ })).toBeChecked();

  // The top nav's "Analysis" link: the same page without the filter.
  await act(() => router.navigate('/analysis'));
  expect(await screen.findByRole('radio', { name: /Every ticket not analysed yet/ })).toBeChecked();
  expect(screen.getByRole('radio', { name: /Every ticket, analysed or not/ })).not.toBeChecked();
  await user.click(await screen.findByRole('button', { name: 'Start analysis' }));
  expect(calls.find((call) => call.method === 'POST')?.body).toEqual({ ticketIds: null });

  await user.click(screen.getByRole('radio', { name: /Every ticket, analysed or not/ }));
  await act(() => router.navigate('/analysis?priority=high'));
  expect(screen.getByRole('radio', { name: /matching the list’s filters/ })).toBeChecked();
});

it('keeps focus on Start while the run starts, and starts one run per press', async () => {
  let answer: (response: Response) => void = () => {};
  const { calls } = serve(() => new Promise<Response>((resolve) => (answer = resolve)));
  const user = userEvent.setup();
  renderWithProviders(<AnalysisOverview />, { url: '/analysis' });

  const button = await screen.findByRole('button', { name: 'Start analysis' });
  await user.click(button);
  const starting = screen.getByRole('button', { name: 'Starting…' });
  expect(starting).toHaveFocus();
  expect(starting).toHaveAttribute('aria-disabled', 'true');
  await user.click(starting);
  expect(calls.filter((call) => call.method === 'POST')).toHaveLength(1);
  await act(async () => answer(started()));
});

describe('for someone who is not an admin', () => {
  it('says runs are for admins without asking for them', async () => {
    const { calls } = mockFetch({
      'GET /api/auth/me': () =>
        jsonResponse({
          user: makeUser({ role: 'agent' }),
          role: 'agent',
          open_access: false,
        }),
      'GET /api/analyze/': () => problemResponse(403, 'Forbidden', { detail: 'admins only' }),
    });
    renderWithProviders(<AnalysisOverview />, { url: '/analysis' });
    expect(await screen.findByText('Analysis runs are for admins.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Start analysis' })).not.toBeInTheDocument();
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    // Nothing that would only be refused (and log an error in the console).
    expect(calls.map((call) => call.url)).toEqual(['/api/auth/me']);
  });

  it('says the same when the server refuses, and does not crash', async () => {
    mockFetch({
      'GET /api/analyze/': () => problemResponse(403, 'Forbidden', { detail: 'admins only' }),
    });
    renderWithProviders(<AnalysisOverview />, { url: '/analysis' });
    expect(await screen.findByText('Analysis runs are for admins.')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
