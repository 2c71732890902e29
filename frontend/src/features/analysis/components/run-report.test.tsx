import { screen, within } from '@testing-library/react';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import type { RunDetail, RunSummary } from '../api/types';
import { RunReport } from './run-report';

const SUMMARY: RunSummary = {
  run_id: 6,
  totals: { tickets: 3, analyzed: 2, failed: 1, llm_fallbacks: 0 },
  previous_run_id: 4,
  previous_analyzed: 2,
  categories: {
    billing: { count: 2, share: 1, previous: 1, change: 1, share_change: 0.5 },
    technical: { count: 0, share: 0, previous: 1, change: -1, share_change: -0.5 },
    account: { count: 0, share: 0, previous: 0, change: 0, share_change: 0 },
    general: { count: 0, share: 0, previous: 0, change: 0, share_change: 0 },
  },
  priorities: {
    low: { count: 0, share: 0, previous: 0, change: 0, share_change: 0 },
    medium: { count: 1, share: 0.5, previous: 2, change: -1, share_change: -0.5 },
    high: { count: 0, share: 0, previous: 0, change: 0, share_change: 0 },
    critical: { count: 1, share: 0.5, previous: 0, change: 1, share_change: 0.5 },
  },
  relabelled: {
    compared: 2,
    changed: 1,
    escalated_count: 1,
    escalated: [{ ticket_id: 11, title: 'Store payments fail', from: 'medium', to: 'critical' }],
    deescalated_count: 0,
  },
  themes: [
    {
      theme: 'Store payments fail',
      keywords: ['payment', 'charged', 'refund'],
      size: 2,
      share: 1,
      top_category: 'billing',
      critical: 1,
      tickets: [
        { ticket_id: 11, title: 'Store payments fail' },
        { ticket_id: 12, title: 'Charged twice' },
      ],
    },
  ],
  critical: [
    {
      ticket_id: 11,
      title: 'Store payments fail',
      category: 'billing',
      status: 'in_progress',
      notes: 'every payment fails',
    },
  ],
  critical_done: 4,
  failures: { count: 1, reasons: { 'unknown ticket': 1 }, tickets: [{ ticket_id: 99, error: 'unknown ticket' }] },
  notes: [],
};

function detail(overrides: Partial<RunDetail> = {}): RunDetail {
  return {
    id: 6,
    created_at: new Date().toISOString(),
    summary: 'Run #6: 2 of 3 tickets analysed; 1 failed (1 unknown ticket).',
    ticket_count: 3,
    status: 'completed',
    started_at: new Date().toISOString(),
    finished_at: new Date().toISOString(),
    selection: { mode: 'filter', filter: { status: ['open'], category: [], priority: [], search: null } },
    summary_data: SUMMARY,
    summary_provider: 'local',
    progress: { total: 3, pending: 0, processing: 0, analyzed: 2, failed: 1, done: 3 },
    ticket_analyses: [
      {
        ticket_id: 11,
        status: 'analyzed',
        category: 'billing',
        priority: 'critical',
        notes: 'every payment fails',
        error: null,
        title: 'Store payments fail',
        confidence: 0.9,
        provider: 'local:base',
        analyzed_at: new Date().toISOString(),
      },
      {
        ticket_id: 99,
        status: 'failed',
        category: null,
        priority: null,
        notes: null,
        error: 'unknown ticket',
        title: null,
        confidence: null,
        provider: null,
        analyzed_at: null,
      },
    ],
    ...overrides,
  };
}

it('renders the executive summary: counts, shifts, themes and critical tickets', async () => {
  mockFetch({ 'GET /api/analyze/6': () => jsonResponse(detail()) });
  renderWithProviders(<RunReport id={6} />);

  const summary = await screen.findByRole('region', { name: 'Executive summary' });
  expect(screen.getByRole('heading', { level: 1, name: 'Analysis run #6' })).toBeVisible();
  expect(screen.getByText(/Filtered: Status: Open/)).toBeInTheDocument();
  const total = (label: string) =>
    within(summary).getByText(label, { selector: 'dt' }).nextElementSibling;
  expect(total('Tickets')).toHaveTextContent('3');
  expect(total('Analysed')).toHaveTextContent('2');
  expect(total('Failed')).toHaveTextContent('1');
  const previous = within(summary).getByRole('link', { name: 'run #4' });
  expect(previous).toHaveAttribute('href', '/analysis/4');
  expect(previous.parentElement).toHaveTextContent(
    'Changes are against run #4 (2 tickets analysed), the last run that chose its tickets the same way.',
  );

  const categories = within(summary).getByRole('table', { name: 'Categories' });
  expect(within(categories).getByRole('row', { name: /Billing/ })).toHaveTextContent(
    'Billing2100%+1 (+50 pts)',
  );
  expect(within(categories).getByRole('row', { name: /Technical/ })).toHaveTextContent(
    'Technical00%−1 (−50 pts)',
  );

  const themes = within(summary).getByRole('list', {
    name: 'Tickets representing “Store payments fail”',
  });
  expect(within(themes).getByRole('link', { name: '#12 Charged twice' })).toHaveAttribute(
    'href',
    '/tickets/12',
  );
  const critical = within(summary).getByRole('heading', { name: 'Open critical tickets (1)' });
  // What the run is about first, then what needs action.
  const themesHeading = within(summary).getByRole('heading', { name: 'Main themes' });
  expect(themesHeading.compareDocumentPosition(critical)).toBe(Node.DOCUMENT_POSITION_FOLLOWING);
  const block = critical.parentElement as HTMLElement;
  expect(block).toHaveTextContent('4 more were critical and are already resolved.');
  expect(within(block).getByRole('listitem')).toHaveTextContent(
    '#11 Store payments fail In progress Billingevery payment fails',
  );
  expect(within(summary).getAllByRole('link', { name: '#11 Store payments fail' })[0]).toHaveAttribute(
    'href',
    '/tickets/11',
  );
  expect(within(summary).getByText(/1 rose in priority/)).toBeInTheDocument();
  expect(within(summary).getByText('1 × unknown ticket')).toBeInTheDocument();
});

it('lists every ticket’s result, with the reason a ticket failed', async () => {
  mockFetch({ 'GET /api/analyze/6': () => jsonResponse(detail()) });
  renderWithProviders(<RunReport id={6} />);
  const results = await screen.findByRole('table', { name: 'The result for each ticket of the run' });
  const analysed = within(results).getByRole('row', { name: /Store payments fail/ });
  expect(analysed).toHaveTextContent('Analysed');
  expect(analysed).toHaveTextContent('Billing');
  expect(analysed).toHaveTextContent('Critical');
  expect(analysed).toHaveTextContent('every payment fails');
  expect(within(results).getByRole('row', { name: /#99/ })).toHaveTextContent(
    '#99Failed——unknown ticket',
  );
});

it('shows the progress of a run that is still working, and no summary yet', async () => {
  mockFetch({
    'GET /api/analyze/6/status': () =>
      jsonResponse({
        analysis_run_id: 6,
        status: 'processing',
        ticket_ids: [],
        progress: { total: 3, pending: 1, processing: 1, analyzed: 1, failed: 0, done: 1 },
      }),
    'GET /api/analyze/6': () =>
      jsonResponse(detail({ status: 'processing', summary: '', summary_data: null })),
  });
  renderWithProviders(<RunReport id={6} />);
  expect(await screen.findByRole('progressbar', { name: 'Run #6 progress' })).toBeInTheDocument();
  expect(screen.queryByRole('region', { name: 'Executive summary' })).not.toBeInTheDocument();
});

it('says when there is no such run', async () => {
  mockFetch({ 'GET /api/analyze/6': () => problemResponse(404, 'Not found') });
  renderWithProviders(<RunReport id={6} />);
  expect(await screen.findByText('There is no run #6.')).toBeInTheDocument();
});

it('says runs are for admins when the server refuses the report', async () => {
  mockFetch({
    'GET /api/analyze/6': () => problemResponse(403, 'Forbidden', { detail: 'admins only' }),
  });
  renderWithProviders(<RunReport id={6} />, { url: '/analysis/6' });
  expect(await screen.findByText('Analysis runs are for admins.')).toBeInTheDocument();
  expect(screen.getByRole('heading', { level: 1, name: 'Analysis run #6' })).toBeInTheDocument();
});
