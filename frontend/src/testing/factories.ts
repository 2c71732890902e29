import type { Page, Ticket } from '@/types/api';

let nextId = 1;

export function makeTicket(overrides: Partial<Ticket> = {}): Ticket {
  const id = nextId++;
  return {
    id,
    title: `Ticket ${id}`,
    description: 'Something is not working as expected.',
    category: 'technical',
    priority: 'medium',
    status: 'open',
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    resolved_at: null,
    category_source: 'user',
    priority_source: 'user',
    ai_category: null,
    ai_priority: null,
    ai_confidence: null,
    ai_category_confidence: null,
    ai_priority_confidence: null,
    ai_reasoning: null,
    ai_provider: null,
    needs_review: false,
    team: null,
    due_at: null,
    sla_breached: false,
    duplicate_of: null,
    assignee_id: null,
    waiting_since: null,
    follow_up_of: null,
    ...overrides,
  };
}

export function makePage(results: Ticket[], count = results.length): Page<Ticket> {
  return { count, next: null, previous: null, results };
}

export function makeClassification(overrides: Record<string, unknown> = {}) {
  return {
    suggested_category: 'technical',
    suggested_priority: 'high',
    confidence: { category: 0.87, priority: 0.74 },
    reasoning: 'Mentions an error after login.',
    signals: ['error', 'login'],
    provider: 'local',
    needs_review: false,
    ...overrides,
  };
}
