import type { ProviderStatus } from '../api/get-triage-status';
import { describeProvider } from './triage-status';

const llm: ProviderStatus['llm'] = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  circuit: 'closed',
  consecutive_failures: 0,
  last_outcome: 'ok',
  last_error: null,
  last_latency_ms: 812.4,
};

const counts = { local_answers: 9, llm_calls: 3, calls_saved: 7, fallbacks: 1 };

const status = (change: Partial<ProviderStatus['llm']> = {}): ProviderStatus => ({
  threshold: 0.75,
  ...counts,
  llm: { ...llm, ...change },
  drafts: { provider: 'openai', model: 'gpt-4o-mini', circuit: 'closed', consecutive_failures: 0 },
  all_processes: { ...counts, since: null },
});

describe('describeProvider', () => {
  it('reads a healthy LLM', () => {
    expect(describeProvider(status())).toEqual({
      name: 'openai · gpt-4o-mini',
      tone: 'ok',
      summary: 'Healthy',
      lastError: null,
      latencyMs: 812.4,
      escalation: { llmCalls: 3, callsSaved: 7, fallbacks: 1, since: null },
    });
  });

  it('says when no call was made yet', () => {
    expect(describeProvider(status({ last_outcome: null }))).toMatchObject({
      tone: 'ok',
      summary: 'Ready, no calls yet',
    });
  });

  it('reports failures, a recovering and an open circuit', () => {
    expect(
      describeProvider(status({ last_outcome: 'timeout', consecutive_failures: 2 })),
    ).toMatchObject({ tone: 'warning', summary: 'Last call failed (timed out), 2 in a row' });
    expect(describeProvider(status({ circuit: 'half_open' }))).toMatchObject({
      tone: 'warning',
      summary: 'Recovering: trying one call',
    });
    expect(
      describeProvider(status({ circuit: 'open', last_error: 'ReadTimeout' })),
    ).toMatchObject({ tone: 'danger', lastError: 'ReadTimeout' });
  });

  it('shows the counts summed over every process', () => {
    const health = describeProvider({
      ...status(),
      all_processes: {
        since: '2026-11-20',
        local_answers: 90,
        llm_calls: 30,
        calls_saved: 70,
        fallbacks: 2,
      },
    });
    expect(health.escalation).toEqual({
      llmCalls: 30,
      callsSaved: 70,
      fallbacks: 2,
      since: '2026-11-20',
    });
  });
});
