import type { Category, Priority, Status, Team } from '@/types/api';

export const CATEGORY_LABELS: Record<Category, string> = {
  billing: 'Billing',
  technical: 'Technical',
  account: 'Account',
  general: 'General',
};

export const PRIORITY_LABELS: Record<Priority, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

export const STATUS_LABELS: Record<Status, string> = {
  open: 'Open',
  in_progress: 'In progress',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** As the routing file names them in replies and reasons. */
export const TEAM_LABELS: Record<Team, string> = {
  technical_support: 'Technical support team',
  billing_team: 'Billing team',
  account_management: 'Account team',
  product_team: 'Product team',
  general_support: 'Support team',
  escalation_team: 'Escalation team',
};

/** A team id as people read it; a team the routing file added since gets its id tidied. */
export function formatTeam(team: string): string {
  if (team in TEAM_LABELS) return TEAM_LABELS[team as Team];
  const words = team.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
