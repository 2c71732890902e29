import { useEffect, useState } from 'react';
import { formatExactTime, formatRelativeTime } from '@/lib/relative-time';

const TICK_MS = 30_000;

export function RelativeTime({ iso }: { iso: string }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), TICK_MS);
    return () => clearInterval(timer);
  }, []);

  const date = new Date(iso);
  return (
    <time dateTime={iso} title={formatExactTime(date)}>
      {formatRelativeTime(date, now)}
    </time>
  );
}
