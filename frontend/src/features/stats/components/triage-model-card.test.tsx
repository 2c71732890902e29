import { screen } from '@testing-library/react';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import type { TriageStatus } from '../api/get-triage-status';
import { TriageModelCard } from './triage-model-card';

const fact = (label: string) => screen.getByText(label, { selector: 'dt' }).nextElementSibling;

it('shows the serving model, its held-out scores and the corrections to learn', async () => {
  mockFetch({
    'GET /api/triage/status': () =>
      jsonResponse({
        classifier: 'local',
        model_version: 'v3',
        problem: null,
        provider: null,
        model_metrics: {
          examples: 199,
          category_accuracy: 0.9095,
          category_macro_f1: 0.9102,
          priority_accuracy: 0.799,
          priority_within_one: 0.9548,
          category_calibration_error: 0.041,
          priority_calibration_error: 0.034,
          trained_on: 762,
        },
        corrections_pending: 2,
      } satisfies TriageStatus),
  });
  renderWithProviders(<TriageModelCard />);

  expect(await screen.findByText('v3')).toBeInTheDocument();
  expect(fact('Classifier')).toHaveTextContent('local');
  expect(fact('Category accuracy')).toHaveTextContent('91%');
  expect(fact('Priority accuracy')).toHaveTextContent('80%');
  expect(fact('Priority within one level')).toHaveTextContent('95%');
  expect(fact('Confidence calibration')).toHaveTextContent('off by 4% (category), 3% (priority)');
  expect(fact('Corrections pending')).toHaveTextContent('2 overrides not yet learned from');
  expect(screen.getByText(/199 held-out examples/)).toBeInTheDocument();
  expect(screen.queryByText('Provider')).not.toBeInTheDocument();
});

it('shows provider health and a triage problem', async () => {
  mockFetch({
    'GET /api/triage/status': () =>
      jsonResponse({
        classifier: 'openai:gpt-4o-mini',
        model_version: null,
        problem: 'the local model files are missing',
        provider: {
          threshold: 0.75,
          local_answers: 4,
          llm_calls: 6,
          calls_saved: 4,
          fallbacks: 6,
          llm: {
            provider: 'openai',
            model: 'gpt-4o-mini',
            circuit: 'open',
            consecutive_failures: 5,
            last_outcome: 'timeout',
            last_error: 'ReadTimeout',
            last_latency_ms: 10000,
          },
          all_processes: {
            since: '2026-11-20',
            local_answers: 40,
            llm_calls: 60,
            calls_saved: 40,
            fallbacks: 6,
          },
        },
      } satisfies TriageStatus),
  });
  renderWithProviders(<TriageModelCard />);

  expect(await screen.findByText('the local model files are missing')).toBeInTheDocument();
  expect(fact('Model version')).toHaveTextContent('None');
  expect(fact('Provider')).toHaveTextContent(/openai · gpt-4o-mini.*Circuit open/);
  expect(fact('Provider')).toHaveTextContent('ReadTimeout');
  expect(fact('Provider')).toHaveTextContent(
    '60 sent to the LLM, 40 settled locally, 6 fell back (all processes, since 2026-11-20)',
  );
  expect(screen.queryByText('Corrections pending')).not.toBeInTheDocument();
});

it('shows a failure inside the card', async () => {
  mockFetch({ 'GET /api/triage/status': () => problemResponse(503, 'Service unavailable') });
  renderWithProviders(<TriageModelCard />);
  expect(await screen.findByRole('alert')).toHaveTextContent('Service unavailable');
});
