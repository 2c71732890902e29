import type { components } from '@/types/openapi';
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
  return { count, count_estimated: false, next: null, previous: null, next_cursor: null, results };
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

type Schemas = components['schemas'];

export function makeUser(overrides: Partial<Schemas['UserOut']> = {}): Schemas['UserOut'] {
  const id = overrides.id ?? nextId++;
  return {
    id,
    email: `agent${id}@example.com`,
    name: `Agent ${id}`,
    role: 'agent',
    status: 'active',
    teams: ['billing_team'],
    created_at: new Date().toISOString(),
    notify_assigned: true,
    notify_customer_replied: true,
    ...overrides,
  };
}

/** Who is asking; `null` for open access (no user, acting as an admin). */
export function makeMe(user: Schemas['UserOut'] | null): Schemas['Me'] {
  return user
    ? { user, role: user.role, open_access: false }
    : { user: null, role: 'admin', open_access: true };
}

export function makeViewCounts(
  overrides: Partial<Schemas['ViewCounts']> = {},
): Schemas['ViewCounts'] {
  return {
    all: 0,
    mine: 0,
    unassigned: 0,
    needs_review: 0,
    sla_at_risk: 0,
    sla_breached: 0,
    ...overrides,
  };
}

export function makeHistoryEntry(
  overrides: Partial<Schemas['HistoryEntry']> = {},
): Schemas['HistoryEntry'] {
  return {
    id: nextId++,
    at: new Date().toISOString(),
    action: 'ticket.updated',
    actor_kind: 'user',
    actor_user_id: null,
    actor_name: null,
    changes: {},
    detail: '',
    ...overrides,
  };
}
