import { formatExactTime, formatRelativeTime } from './relative-time';

const now = new Date('2025-03-10T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('formatRelativeTime', () => {
  it.each([
    [0, 'just now'],
    [30, 'just now'],
    [50, '1 minute ago'],
    [5 * 60, '5 minutes ago'],
    [60 * 60, '1 hour ago'],
    [2 * 3600, '2 hours ago'],
    [26 * 3600, 'yesterday'],
    [3 * 86400, '3 days ago'],
    [14 * 86400, '2 weeks ago'],
    [65 * 86400, '2 months ago'],
    [400 * 86400, 'last year'],
  ])('%i seconds ago reads "%s"', (seconds, expected) => {
    expect(formatRelativeTime(ago(seconds), now)).toBe(expected);
  });

  it('handles times in the future, e.g. a skewed server clock', () => {
    expect(formatRelativeTime(ago(-3 * 3600), now)).toBe('in 3 hours');
  });
});

describe('formatExactTime', () => {
  it('includes the date and the time of day', () => {
    const text = formatExactTime(now);
    expect(text).toMatch(/2025/);
    expect(text).toMatch(/Mar/);
    expect(text).toMatch(/\d{1,2}:\d{2}/);
  });
});
