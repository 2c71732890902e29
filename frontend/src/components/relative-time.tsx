import { formatExactTime, formatRelativeTime } from '@/lib/relative-time';
import { useNow } from '@/lib/use-now';

const TICK_MS = 30_000;

export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow(TICK_MS);
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={formatExactTime(date)}>
      {formatRelativeTime(date, now)}
    </time>
  );
}
