// The API's shapes as the server publishes them: `openapi.ts` is generated from
// /openapi.json by scripts/api_types.py (a test fails when it is stale). The names the UI
// uses are given here.
import {
  categoryValues,
  priorityValues,
  statusValues,
  toneValues,
  type components,
} from './openapi';

type Schemas = components['schemas'];

export type Category = Schemas['Category'];
export type Priority = Schemas['Priority'];
export type Status = Schemas['Status'];
export type LabelSource = Schemas['LabelSource'];
/** How a reply draft sounds. */
export type Tone = Schemas['Tone'];
export type Ticket = Schemas['TicketOut'];
export type Problem = Schemas['Problem'];
export type Page<T> = Omit<Schemas['TicketPage'], 'results'> & { results: T[] };

// Every value, in the schema's order.
export const CATEGORIES: readonly Category[] = categoryValues;
export const PRIORITIES: readonly Priority[] = priorityValues;
export const STATUSES: readonly Status[] = statusValues;
export const TONES: readonly Tone[] = toneValues;
