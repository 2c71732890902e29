import type { ProviderStatus } from '../api/get-triage-status';

export type ProviderHealth = {
  /** "openai · gpt-4o-mini", or null if the status names no provider. */
  name: string | null;
  tone: 'ok' | 'warning' | 'danger' | 'unknown';
  /** "Healthy", "Circuit open: calls paused", … */
  summary: string;
  lastError: string | null;
  latencyMs: number | null;
  /**
   * Set when the local classifier answers first and only hands hard tickets to the LLM:
   * counts over every process since `since` (a day), or this server process's alone.
   */
  escalation: {
    llmCalls: number;
    callsSaved: number;
    fallbacks: number;
    since: string | null;
  } | null;
};

const OUTCOME_LABELS: Record<string, string> = {
  timeout: 'timed out',
  rate_limited: 'rate limited',
  server_error: 'server error',
  invalid_output: 'invalid answer',
  circuit_open: 'circuit open',
  error: 'error',
};

/**
 * Reads the provider object of /api/triage/status defensively: it is an LLM's health, or
 * an escalating classifier's counts with the LLM's health under `llm`.
 */
export function describeProvider(provider: ProviderStatus): ProviderHealth {
  const llm = isRecord(provider.llm) ? provider.llm : provider;
  const name = [text(llm.provider), text(llm.model)].filter(Boolean).join(' · ') || null;
  const outcome = text(llm.last_outcome);
  const failures = number(llm.consecutive_failures) ?? 0;

  let tone: ProviderHealth['tone'] = 'unknown';
  let summary = 'No calls yet';
  switch (text(llm.circuit)) {
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
        summary = `Last call failed (${OUTCOME_LABELS[outcome] ?? outcome})`;
        if (failures > 1) summary += `, ${failures} in a row`;
      }
      break;
  }

  // Counts summed over every API and worker process, when the server has them.
  const counts = isRecord(provider.all_processes) ? provider.all_processes : provider;
  const llmCalls = number(counts.llm_calls);
  return {
    name,
    tone,
    summary,
    lastError: text(llm.last_error),
    latencyMs: number(llm.last_latency_ms),
    escalation:
      llmCalls === null
        ? null
        : {
            llmCalls,
            callsSaved: number(counts.calls_saved) ?? 0,
            fallbacks: number(counts.fallbacks) ?? 0,
            since: counts === provider ? null : text(counts.since),
          },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function number(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
