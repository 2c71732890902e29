import type { Acceptance } from '../api/get-stats';

export type AcceptanceSummary = {
  /** "75%", or null while the AI has suggested nothing. */
  percent: string | null;
  /** 0–1 for the bar; 0 while there is nothing to measure. */
  fraction: number;
  /** "3 of 4", or "no suggestions yet". */
  detail: string;
};

/**
 * Rate and counts of one acceptance figure, from the counts themselves so the two always
 * agree. Rounding never claims "100%" while one was overridden, nor "0%" after one was kept.
 */
export function summarizeAcceptance({ suggested, accepted }: Acceptance): AcceptanceSummary {
  if (suggested <= 0) return { percent: null, fraction: 0, detail: 'no suggestions yet' };
  const fraction = Math.min(1, Math.max(0, accepted / suggested));
  const rounded = Math.round(fraction * 100);
  let percent = `${rounded}%`;
  if (rounded === 100 && accepted < suggested) percent = '>99%';
  else if (rounded === 0 && accepted > 0) percent = '<1%';
  return { percent, fraction, detail: `${accepted} of ${suggested}` };
}
