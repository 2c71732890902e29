import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS } from '@/lib/labels';
import { CATEGORIES, PRIORITIES, STATUSES } from '@/types/api';
import type { RunFilter } from '../api/types';

/**
 * The ticket list's filters as the tickets page puts them in a link to this page
 * (`?status=open&search=vpn`); null when the link sets none. The team filter has no
 * counterpart in a run's filter and is not read.
 */
export function parseRunFilter(params: URLSearchParams): RunFilter | null {
  const filter: RunFilter = {};
  const status = parseList(params.get('status'), STATUSES);
  const category = parseList(params.get('category'), CATEGORIES);
  const priority = parseList(params.get('priority'), PRIORITIES);
  const search = params.get('search')?.trim() ?? '';
  if (status.length) filter.status = status;
  if (category.length) filter.category = category;
  if (priority.length) filter.priority = priority;
  if (search) filter.search = search;
  return Object.keys(filter).length ? filter : null;
}

/** "Status: Open, In progress · Priority: High · Search: “vpn”", or "" for no filter. */
export function describeRunFilter(filter: RunFilter): string {
  const parts = [
    listPart('Status', filter.status, STATUS_LABELS),
    listPart('Category', filter.category, CATEGORY_LABELS),
    listPart('Priority', filter.priority, PRIORITY_LABELS),
    filter.search ? `Search: “${filter.search}”` : '',
  ];
  return parts.filter(Boolean).join(' · ');
}

function listPart(name: string, values: string[] | undefined, labels: Record<string, string>) {
  if (!values?.length) return '';
  return `${name}: ${values.map((value) => labels[value] ?? value).join(', ')}`;
}

function parseList<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  const values = (raw ?? '').split(',');
  return allowed.filter((value) => values.includes(value));
}
