import { describeProvider } from './triage-status';

const llm = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  circuit: 'closed',
  consecutive_failures: 0,
  last_outcome: 'ok',
  last_error: null,
  last_latency_ms: 812.4,
};

describe('describeProvider', () => {
  it('reads a healthy LLM', () => {
    expect(describeProvider(llm)).toEqual({
      name: 'openai · gpt-4o-mini',
      tone: 'ok',
      summary: 'Healthy',
      lastError: null,
      latencyMs: 812.4,
      escalation: null,
    });
  });

  it('reports failures and an open circuit', () => {
    expect(
      describeProvider({ ...llm, last_outcome: 'timeout', consecutive_failures: 2 }),
    ).toMatchObject({ tone: 'warning', summary: 'Last call failed (timed out), 2 in a row' });
    expect(
      describeProvider({ ...llm, circuit: 'open', last_error: 'ReadTimeout' }),
    ).toMatchObject({ tone: 'danger', lastError: 'ReadTimeout' });
  });

  it('finds the LLM under an escalating classifier, with its counts', () => {
    const health = describeProvider({
      threshold: 0.7,
      local_answers: 9,
      llm_calls: 3,
      calls_saved: 7,
      fallbacks: 1,
      llm: { ...llm, last_outcome: null },
    });
    expect(health).toMatchObject({
      name: 'openai · gpt-4o-mini',
      summary: 'Ready, no calls yet',
      escalation: { llmCalls: 3, callsSaved: 7, fallbacks: 1, since: null },
    });
  });

  it('prefers the counts summed over every process', () => {
    const health = describeProvider({
      llm_calls: 3,
      calls_saved: 7,
      fallbacks: 1,
      all_processes: { since: '2026-11-20', llm_calls: 30, calls_saved: 70, fallbacks: 2 },
      llm,
    });
    expect(health.escalation).toEqual({
      llmCalls: 30,
      callsSaved: 70,
      fallbacks: 2,
      since: '2026-11-20',
    });
  });

  it('copes with a shape it does not know', () => {
    expect(describeProvider({ something: 'else' })).toMatchObject({
      name: null,
      tone: 'unknown',
    });
  });
});
