import type { ProviderStatus } from '../api/get-triage-status';

export type ProviderHealth = {
  /** "openai · gpt-4o-mini". */
  name: string;
  tone: 'ok' | 'warning' | 'danger';
  /** "Healthy", "Circuit open: calls paused", … */
  summary: string;
  lastError: string | null;
  latencyMs: number | null;
  /**
   * The local classifier answers first and only hands hard tickets to the LLM: counts over
   * every process since `since` (a day), or this server process's alone before any is saved.
   */
  escalation: {
    llmCalls: number;
    callsSaved: number;
    fallbacks: number;
    since: string | null;
  };
};

type FailedOutcome = Exclude<ProviderStatus['llm']['last_outcome'], 'ok' | null>;

const OUTCOME_LABELS: Record<FailedOutcome, string> = {
  timeout: 'timed out',
  rate_limited: 'rate limited',
  server_error: 'server error',
  invalid_output: 'invalid answer',
  circuit_open: 'circuit open',
  error: 'error',
};

/** The health of the LLM behind the local classifier, and how the two shared the tickets. */
export function describeProvider(provider: ProviderStatus): ProviderHealth {
  const { llm, all_processes: counts } = provider;
  const outcome = llm.last_outcome;

  let tone: ProviderHealth['tone'];
  let summary: string;
  switch (llm.circuit) {
    case 'open':
      tone = 'danger';
      summary = 'Circuit open: calls paused after repeated failures';
      break;
    case 'half_open':
      tone = 'warning';
      summary = 'Recovering: trying one call';
      break;
    case 'closed':
      if (outcome === null || outcome === 'ok') {
        tone = 'ok';
        summary = outcome === null ? 'Ready, no calls yet' : 'Healthy';
      } else {
        tone = 'warning';
        summary = `Last call failed (${OUTCOME_LABELS[outcome]})`;
        if (llm.consecutive_failures > 1) summary += `, ${llm.consecutive_failures} in a row`;
      }
      break;
  }

  return {
    name: [llm.provider, llm.model].filter(Boolean).join(' · '),
    tone,
    summary,
    lastError: llm.last_error || null,
    latencyMs: llm.last_latency_ms,
    // Counts summed over every API and worker process (with this one's not yet saved).
    escalation: {
      llmCalls: counts.llm_calls,
      callsSaved: counts.calls_saved,
      fallbacks: counts.fallbacks,
      since: counts.since,
    },
  };
}
