const MINUTE_MS = 60_000;
const HOUR_MINUTES = 60;
const DAY_MINUTES = 24 * HOUR_MINUTES;

/**
 * A span as whole units, rounded down, so a countdown never promises time that is not
 * left: "2 d 4 h", "3 h 12 min", "45 min", "less than a minute".
 */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / MINUTE_MS);
  if (minutes < 1) return 'less than a minute';
  const days = Math.floor(minutes / DAY_MINUTES);
  const hours = Math.floor((minutes % DAY_MINUTES) / HOUR_MINUTES);
  const rest = minutes % HOUR_MINUTES;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  return `${rest} min`;
}

export type DueState = { overdue: boolean; text: string };

/**
 * "due in 3 h 12 min", or "overdue by 5 min" once the time has passed. `breached` is the
 * server's word: a breached ticket reads as overdue even if this clock is behind.
 */
export function describeDue(dueAt: Date, now: Date, breached = false): DueState {
  const left = dueAt.getTime() - now.getTime();
  if (left > 0 && !breached) return { overdue: false, text: `due in ${formatDuration(left)}` };
  if (left > 0) return { overdue: true, text: 'overdue' };
  return { overdue: true, text: `overdue by ${formatDuration(left)}` };
}
