import type { Category, Priority } from '@/types/api';

export type RunStatus = 'pending' | 'processing' | 'completed' | 'failed';
export type ResultStatus = 'pending' | 'processing' | 'analyzed' | 'failed';

/** How many of a run's tickets are at each stage; `done` is analysed plus failed. */
export type Progress = {
  total: number;
  pending: number;
  processing: number;
  analyzed: number;
  failed: number;
  done: number;
};

/** The list filters a run may select by (every one given must match). */
export type RunFilter = {
  status?: string[];
  category?: string[];
  priority?: string[];
  team?: string[];
  search?: string | null;
};

/** How a run chose its tickets: "pending" (not analysed before), "ids" or "filter". */
export type RunSelection = { mode?: string; filter?: RunFilter };

export type AnalysisRun = {
  id: number;
  created_at: string;
  /** The executive summary as text; "" until the run has finished. */
  summary: string;
  ticket_count: number;
  status: RunStatus;
  started_at: string | null;
  finished_at: string | null;
  selection: RunSelection;
};

export type TicketAnalysis = {
  ticket_id: number;
  status: ResultStatus;
  category: Category | null;
  priority: Priority | null;
  notes: string | null;
  /** Why the ticket failed, e.g. "unknown ticket". */
  error: string | null;
  /** Null when the ticket does not exist. */
  title: string | null;
  confidence: number | null;
  provider: string | null;
  analyzed_at: string | null;
};

/** A count and its share, with the shift against the previous completed run if there is one. */
export type Distribution = {
  count: number;
  share: number;
  previous?: number;
  change?: number;
  share_change?: number;
};

export type TicketRef = { ticket_id: number; title: string | null };

export type Theme = {
  theme: string;
  keywords: string[];
  size: number;
  share: number;
  top_category: string | null;
  critical: number;
  /** The tickets closest to the theme's centre. */
  tickets: TicketRef[];
};

/** The structured executive summary, computed once every ticket of the run is done. */
export type RunSummary = {
  run_id: number;
  totals: { tickets: number; analyzed: number; failed: number; llm_fallbacks: number };
  /** The latest earlier run that chose its tickets the same way, if any. */
  previous_run_id: number | null;
  /** How many tickets that run analysed. */
  previous_analyzed: number | null;
  categories: Record<string, Distribution>;
  priorities: Record<string, Distribution>;
  relabelled: {
    compared: number;
    changed: number;
    escalated_count: number;
    escalated: (TicketRef & { from: string; to: string })[];
    deescalated_count: number;
  } | null;
  themes: Theme[];
  /** The critical tickets still open, with the ticket's status when the run was summarised. */
  critical: (TicketRef & { category: string | null; status?: string | null; notes: string | null })[];
  /** Critical tickets already resolved or closed: counted, not listed (absent in older runs). */
  critical_done?: number;
  failures: {
    count: number;
    reasons: Record<string, number>;
    tickets: { ticket_id: number; error: string | null }[];
  };
  notes: string[];
};

export type RunDetail = AnalysisRun & {
  ticket_analyses: TicketAnalysis[];
  summary_data: RunSummary | null;
  /** "local" for the structured text, else the LLM that wrote the prose. */
  summary_provider: string | null;
  progress: Progress;
};

export type RunStatusInfo = {
  analysis_run_id: number;
  status: RunStatus;
  ticket_ids: number[];
  progress: Progress;
};

export type RunPage = {
  items: AnalysisRun[];
  page: number;
  page_size: number;
  total: number;
};

export function isRunActive(status: RunStatus): boolean {
  return status === 'pending' || status === 'processing';
}
