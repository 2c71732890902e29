// Batch analysis as the server publishes it (generated from /openapi.json).
import type { components } from '@/types/openapi';

type Schemas = components['schemas'];

export type RunStatus = Schemas['RunStatus'];
export type ResultStatus = Schemas['ResultStatus'];

/** How many of a run's tickets are at each stage; `done` is analysed plus failed. */
export type Progress = Schemas['Progress'];

/** The list filters a run may select by (every one given must match). */
export type RunFilter = Schemas['AnalyzeFilter'];

/** How a run chose its tickets: chosen ids, a filter, or every ticket not analysed yet. */
export type RunSelection = Schemas['RunOut']['selection'];

export type AnalysisRun = Schemas['RunOut'];

export type TicketAnalysis = Schemas['TicketAnalysisOut'];

/** A count and its share, with the shift against the previous completed run if there is one. */
export type Distribution = Schemas['Distribution'];

export type TicketRef = Schemas['TicketRef'];

export type Theme = Schemas['Theme'];

/** The structured executive summary, computed once every ticket of the run is done. */
export type RunSummary = Schemas['RunSummary'];

export type RunDetail = Schemas['RunDetail'];

export type RunStatusInfo = Schemas['RunStatusOut'];

export type RunPage = Schemas['RunPage'];

export function isRunActive(status: RunStatus): boolean {
  return status === 'pending' || status === 'processing';
}
