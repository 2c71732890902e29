import type { LabelSource, Ticket } from '@/types/api';

/** What became of the AI's suggestion for one label (category or priority). */
export type LabelOutcome<T extends string> =
  /** The AI suggested nothing for this label, e.g. a ticket filed before triage existed. */
  | { kind: 'none' }
  /** The AI's label is the ticket's label. */
  | { kind: 'accepted'; ai: T }
  /** A person set the label and picked what the AI had said anyway. */
  | { kind: 'confirmed'; ai: T }
  /** A person replaced the AI's label with another. */
  | { kind: 'overridden'; ai: T; chosen: T };

export function labelOutcome<T extends string>(
  current: T,
  source: LabelSource,
  ai: T | null,
): LabelOutcome<T> {
  if (ai === null) return { kind: 'none' };
  if (source === 'user') {
    return ai === current ? { kind: 'confirmed', ai } : { kind: 'overridden', ai, chosen: current };
  }
  return { kind: 'accepted', ai };
}

/** The ticket's label as it stands: after an override the person's, otherwise the AI's. */
export function currentLabel<T extends string>(outcome: LabelOutcome<T>): T | null {
  if (outcome.kind === 'none') return null;
  return outcome.kind === 'overridden' ? outcome.chosen : outcome.ai;
}

/**
 * "Overridden · AI suggested: Billing", "Accepted", … said after the current label. Who set
 * it is not recorded: the customer when filing, or an agent later.
 */
export function describeOutcome<T extends string>(
  outcome: LabelOutcome<T>,
  labels: Record<T, string>,
): string {
  switch (outcome.kind) {
    case 'none':
      return 'No suggestion';
    case 'accepted':
      return 'Accepted';
    case 'confirmed':
      return 'Set by hand to the same';
    case 'overridden':
      return `Overridden · AI suggested: ${labels[outcome.ai]}`;
  }
}

/** "local:base" → { name: "local", model: "base" }; a provider without a colon is all name. */
export function splitProvider(provider: string): { name: string; model: string | null } {
  const colon = provider.indexOf(':');
  if (colon <= 0) return { name: provider, model: null };
  return { name: provider.slice(0, colon), model: provider.slice(colon + 1) || null };
}

type AiLabels = { subject: string; confidence: number | null };

/**
 * Which of the ticket's labels came from the AI, and how sure it was of them, for the AI
 * mark; null when neither did. For both labels it is the lower confidence.
 */
export function describeAiLabels(ticket: Ticket): AiLabels | null {
  const category = ticket.category_source === 'ai';
  const priority = ticket.priority_source === 'ai';
  if (category && priority) {
    return { subject: 'category and priority', confidence: ticket.ai_confidence };
  }
  if (category) return { subject: 'category', confidence: labelConfidence(ticket, 'category') };
  if (priority) return { subject: 'priority', confidence: labelConfidence(ticket, 'priority') };
  return null;
}

/** How sure the AI was of one label; for tickets with no per-label figure, the overall one. */
export function labelConfidence(ticket: Ticket, label: 'category' | 'priority'): number | null {
  return ticket[`ai_${label}_confidence`] ?? ticket.ai_confidence;
}
