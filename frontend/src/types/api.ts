export const CATEGORIES = ['billing', 'technical', 'account', 'general'] as const;
export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export const STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;

export type Category = (typeof CATEGORIES)[number];
export type Priority = (typeof PRIORITIES)[number];
export type Status = (typeof STATUSES)[number];
export type LabelSource = 'ai' | 'user';

export type Ticket = {
  id: number;
  title: string;
  description: string;
  category: Category;
  priority: Priority;
  status: Status;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
  category_source: LabelSource;
  priority_source: LabelSource;
  ai_category: Category | null;
  ai_priority: Priority | null;
  /** The lower of the two per-label confidences: how sure the AI was of the whole. */
  ai_confidence: number | null;
  /** Per label; null on tickets filed before these were recorded. */
  ai_category_confidence: number | null;
  ai_priority_confidence: number | null;
  /** Why the AI chose its labels, in its own words. */
  ai_reasoning: string | null;
  /** Which classifier answered, e.g. "local:base" (classifier and model version). */
  ai_provider: string | null;
  needs_review: boolean;
  /** Set by the workflow once it has routed the ticket; any team id of the routing file. */
  team: string | null;
  /** When a response is due under the SLA; null until routed. */
  due_at: string | null;
  /** Passed its due time while open or in progress (stays true once resolved late). */
  sla_breached: boolean;
  /** The ticket this one was closed as a duplicate of. */
  duplicate_of: number | null;
};

export type Page<T> = {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
};
