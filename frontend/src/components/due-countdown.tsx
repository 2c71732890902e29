import { describeDue } from '@/lib/countdown';
import { formatExactTime } from '@/lib/relative-time';
import { useNow } from '@/lib/use-now';

// The text changes by the minute; a quarter of that keeps it at most 15 s behind.
const TICK_MS = 15_000;

type DueCountdownProps = {
  iso: string;
  breached?: boolean;
};

/** "due in 3 h 12 min", turning red as "overdue by …" once the SLA time has passed. */
export function DueCountdown({ iso, breached = false }: DueCountdownProps) {
  const now = useNow(TICK_MS);
  const due = new Date(iso);
  const { overdue, text } = describeDue(due, now, breached);
  return (
    <time
      dateTime={iso}
      title={`Due ${formatExactTime(due)}`}
      className={overdue ? 'due due--overdue' : 'due'}
    >
      {text}
    </time>
  );
}
